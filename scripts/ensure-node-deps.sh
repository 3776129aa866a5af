#!/usr/bin/env bash
# Installs npm packages when node_modules is missing or older than the lockfile.
# onnxruntime-node's install step would download CUDA libraries (no network for that here): skip it; CPU is bundled.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
cd "$here/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
