#!/usr/bin/env bash
# Headless Chromium for the /demo page's browser test (Debian's chromium package, driven by the
# playwright-core npm package pinned in package.json; no browser download from anywhere else).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
command -v chromium >/dev/null && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing Chromium from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  log "missing: chromium (e.g. 'sudo apt-get install chromium')"; exit 1
fi
