#!/usr/bin/env bash
# Installs the TTS benchmark peer: Piper's own runtime (PyPI piper-tts, which bundles its espeak-ng
# bridge and data) in its own venv, keyed by version. It runs the same voice files that
# scripts/models/install-tts.sh installs, so the peer differs from ours only in the runtime.
#   usage: install-piper-peer.sh      prints the venv's python on stdout; idempotent and cached
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
PIPER_TTS_VERSION="1.8.0"
venv="$VOXFLOW_CACHE/tools/piper-tts-$PIPER_TTS_VERSION"
venv_atomic "$venv" "piper-tts==$PIPER_TTS_VERSION"
echo "$venv/bin/python"
