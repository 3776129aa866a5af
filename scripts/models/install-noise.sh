#!/usr/bin/env bash
# Real noise recordings for the denoiser tests and `npm run bench -- enhance`, from Debian packages:
#  - music: three tracks of Debian's drascula-music 1.0+ds4-2 (Alcachofa Soft's game soundtrack, recorded
#    music; Drascula licence: free redistribution), fetched with `apt-get download` (nothing is installed),
#    checksummed, decoded to 16 kHz mono WAV: track1 and track2 for the dev split, track3 held out (test split);
#  - stationary noise: /usr/share/sounds/alsa/Noise.wav from alsa-utils (install-speech-samples.sh installs it).
# Babble is built at run time from other real speakers of install-speech-samples.sh (bench/enhance-set.ts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
dest="$VOXFLOW_CACHE/noise"
[ -f "$dest/manifest.json" ] && exit 0
deb_sha=340e0beb1bacf005cbabebc07ebdd88adf6aee363d437f8a7d73cb0c77a93e79
ffmpeg_bin="${FFMPEG_PATH:-ffmpeg}"
alsa=/usr/share/sounds/alsa/Noise.wav
[ -f "$alsa" ] || { log "missing $alsa: run scripts/models/install-speech-samples.sh (Debian alsa-utils)"; exit 1; }
log "installing noise recordings (Debian drascula-music 1.0+ds4-2, alsa-utils Noise.wav)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# apt-get download writes to the current folder; _apt cannot write into a root-owned mktemp one.
chmod 755 "$tmp"
(cd "$tmp" && apt-get download -qq drascula-music=1.0+ds4-2 2>/dev/null || { apt-get update -qq && apt-get download -qq drascula-music=1.0+ds4-2; })
echo "$deb_sha  $(ls "$tmp"/drascula-music_*.deb)" | sha256sum -c --quiet -
dpkg-deb -x "$tmp"/drascula-music_*.deb "$tmp/x"
mkdir -p "$tmp/out"
for t in 1 2 3; do
  "$ffmpeg_bin" -nostdin -v error -i "$tmp/x/usr/share/scummvm/drascula/audio/track$t.ogg" -ac 1 -ar 16000 -c:a pcm_s16le "$tmp/out/music-$t.wav"
done
"$ffmpeg_bin" -nostdin -v error -i "$alsa" -ac 1 -ar 16000 -c:a pcm_s16le "$tmp/out/alsa-noise.wav"
mkdir -p "$dest"
cp "$tmp"/out/*.wav "$dest/"
cp "$tmp/x/usr/share/doc/drascula-music/copyright" "$dest/COPYRIGHT.drascula-music"
sums="$(cd "$dest" && sha256sum *.wav | awk '{printf "%s\"%s\": \"%s\"", (NR>1?", ":""), $2, $1}')"
# The manifest goes in last, so a half-copied set is never seen as installed.
cat > "$dest/manifest.json" <<JSON
{"kind": "noise", "sample_rate": 16000,
 "splits": {"dev": ["music-1.wav", "music-2.wav", "alsa-noise.wav"], "test": ["music-3.wav", "alsa-noise.wav"]},
 "sources": {"music": {"debian": "drascula-music=1.0+ds4-2", "sha256": "$deb_sha", "license": "Drascula licence (free redistribution)"},
             "alsa-noise.wav": {"debian": "alsa-utils", "path": "$alsa"}},
 "files": {$sums}}
JSON
log "noise recordings installed in $dest"
