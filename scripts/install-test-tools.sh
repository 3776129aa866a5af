#!/usr/bin/env bash
# Tools only the tests need: espeak-ng makes speech fixtures (labelled synthetic wherever used).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
if command -v espeak-ng >/dev/null; then exit 0; fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing espeak-ng from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null
else
  log "espeak-ng missing: install it (e.g. 'sudo apt-get install espeak-ng')"; exit 1
fi
