#!/usr/bin/env bash
# Installs the MinIO server the way upstream documents for the community edition
# (`go install github.com/minio/minio@<version>`), pinned, into the per-user tools cache.
# Only the MinIO-backed tests and scale-out setups need it; the embedded default stores on local disk.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

if [ -x "$MINIO_BIN" ]; then echo "$MINIO_BIN"; exit 0; fi
command -v go >/dev/null || { log "go toolchain not found: install Go >= 1.24 to build MinIO"; exit 1; }
log "building MinIO $MINIO_MODULE_VERSION with go install (first time only, a few minutes)"
mkdir -p "$(dirname "$MINIO_BIN")"
GOBIN="$(dirname "$MINIO_BIN")" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/minio/minio@$MINIO_MODULE_VERSION"
echo "$MINIO_BIN"
