#!/usr/bin/env bash
# ffmpeg/ffprobe decode every container the contract lists. Debian's package is the supported source.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then exit 0; fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing ffmpeg from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null
else
  log "ffmpeg/ffprobe missing: install them (e.g. 'sudo apt-get install ffmpeg') or set FFMPEG_PATH/FFPROBE_PATH"
  exit 1
fi
