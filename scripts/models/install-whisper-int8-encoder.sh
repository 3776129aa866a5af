#!/usr/bin/env bash
# The opt-in int8 encoder (VOXFLOW_WHISPER_ENCODER=int8): encoder_int8.onnx, derived from an
# installed Whisper model's own encoder.onnx (scripts/models/whisper/quantize_encoder.py: onnxruntime's
# dynamic int8 quantization of its MatMul weights, as decoder_int8.onnx is made), written beside it with
# encoder_int8.json (sha256 of the output, sha256 of the source encoder) last. The runtime loads it only
# when asked for (lib/whisper/encoder-file.ts: it costs about 2 WER points). Same weights, no download.
#   usage: install-whisper-int8-encoder.sh [base|tiny.en]   (default: base; installs the model first if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
model="${1:-base}"
# The quantizer is deterministic for the pinned converter venv (onnxruntime 1.32.0): the expected output.
case "$model" in
  base) expect=327b489e7c8cb4b1fb1dcd26035f0d2d5b54c8d181c48f1b906a304b3e9c1ff1 ;;
  *) expect="" ;;   # recorded in encoder_int8.json, not pinned here
esac
dir="$VOXFLOW_CACHE/models/whisper/$model"
[ -f "$dir/manifest.json" ] || bash "$here/install-whisper.sh" "$model"
if [ -f "$dir/encoder_int8.json" ]; then
  # Installed for this build of the weights? (A reinstalled model gets its encoder quantized again.)
  src_sha="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"]["encoder.onnx"]["sha256"])' "$dir/manifest.json")"
  grep -q "\"sha256\": \"$src_sha\"" "$dir/encoder_int8.json" && exit 0
fi
venv="$(whisper_converter_venv)"
log "quantizing Whisper $model's encoder to int8"
tmp="$dir/encoder_int8.partial"; rm -rf "$tmp"
"$venv/bin/python" "$here/whisper/quantize_encoder.py" "$dir" "$tmp" >&2
# Checked against what the quantizer recorded, then moved in: the graph first, its record last.
want="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$tmp/encoder_int8.json")"
echo "$want  $tmp/encoder_int8.onnx" | sha256sum -c --quiet -
if [ -n "$expect" ] && [ "$want" != "$expect" ]; then
  # The graph is opt-in and derived here, not downloaded: a different numpy/CPU rounding must not stop the
  # service or the tests from starting. Its own hash is recorded in encoder_int8.json either way.
  log "warning: encoder_int8.onnx of $model has sha256 $want, not the $expect recorded where it was first built"
fi
rm -f "$dir/encoder_int8.json"
mv "$tmp/encoder_int8.onnx" "$dir/encoder_int8.onnx"
mv "$tmp/encoder_int8.json" "$dir/encoder_int8.json"
rmdir "$tmp"
log "Whisper $model int8 encoder installed in $dir ($want)"
