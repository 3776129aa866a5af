#!/usr/bin/env bash
# README command 1: install whatever is missing, then run voxflow on its embedded defaults.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/ensure-node-deps.sh"
bash "$here/install-ffmpeg.sh"
bash "$here/../temporal/install.sh" >/dev/null
bash "$here/models/install-vad.sh"
bash "$here/models/install-whisper.sh" base
bash "$here/models/install-whisper-int8-encoder.sh" base  # the opt-in int8 encoder (VOXFLOW_WHISPER_ENCODER=int8)
bash "$here/models/install-whisper-stream.sh" base  # WS /v1/stream's trimmed-window graphs
bash "$here/models/install-speaker.sh"
# POST /v1/tts: the Piper voice, and espeak-ng (Debian) that turns text into its phonemes.
bash "$here/models/install-tts.sh"
# Neural denoisers of /v1/enhance-audio (without them it falls back to ffmpeg's filters).
bash "$here/models/install-denoisers.sh"
bash "$here/models/install-embeddings.sh"
bash "$here/models/install-llm.sh"
# Translation pairs Apertium serves (lib/translate/pairs.ts); without it those pairs fall back to the LLM.
bash "$here/models/install-apertium.sh" || true
cd "$here/.."
# tsx's CommonJS hook: the ESM hook's loader thread costs 37 MB per process (scripts/start.ts does the same for its children).
exec node --require tsx/cjs scripts/start.ts
