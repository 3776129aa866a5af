#!/usr/bin/env bash
# Live streaming's variant of an installed Whisper model: the same weights with graphs that accept a
# window shorter than 30 s (scripts/models/whisper/dynamic_audio_ctx.py), so a partial of a 3 s
# utterance does not pay for encoding 27 s of padding. Written beside the model catalogue
# (models/whisper-stream/<id>, not models/whisper/, which lists the transcription models).
#   usage: install-whisper-stream.sh [base|tiny.en]   (default: base; installs the model first if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
model="${1:-base}"
src="$VOXFLOW_CACHE/models/whisper/$model"
dest="$VOXFLOW_CACHE/models/whisper-stream/$model"
[ -f "$dest/manifest.json" ] && exit 0
[ -f "$src/manifest.json" ] || bash "$here/install-whisper.sh" "$model"
venv="$(whisper_converter_venv)"
log "deriving the streaming (dynamic audio length) graphs of Whisper $model"
tmp="$dest.partial"; rm -rf "$tmp"
"$venv/bin/python" "$here/whisper/dynamic_audio_ctx.py" "$src" "$tmp" >&2
mkdir -p "$(dirname "$dest")"; rm -rf "$dest"; mv "$tmp" "$dest"
log "Whisper $model streaming graphs installed in $dest"
