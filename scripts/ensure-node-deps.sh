#!/usr/bin/env bash
# Installs npm packages when node_modules is missing or older than the lockfile.
# onnxruntime-node's install step would download CUDA libraries (no network for that here): skip it; CPU is bundled.
# node-llama-cpp's postinstall would fall back to downloading and building llama.cpp: its prebuilt binaries ship in npm packages, so skip it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
cd "$here/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
