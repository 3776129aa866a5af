#!/usr/bin/env bash
# Tools only the tests need (Debian packages): espeak-ng makes speech fixtures (labelled synthetic
# wherever used); poppler-utils (pdftotext) and unzip read exported PDF/DOCX back; fonts-dejavu-core
# is the Unicode font PDF exports use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v unzip >/dev/null || missing+=(unzip)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing from Debian packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "missing: ${missing[*]} (e.g. 'sudo apt-get install ${missing[*]}')"; exit 1
fi
