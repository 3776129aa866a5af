#!/usr/bin/env bash
# Builds the bench peer for `npm run bench -- llm`: llama.cpp itself, from the very source our runtime
# runs. node-llama-cpp (pinned in package.json) ships that source as a git bundle
# (node_modules/node-llama-cpp/llama/gitRelease.bundle, release named in llama/llama.cpp.info.json), so
# no network is needed and the peer cannot drift from the runtime's llama.cpp version.
# CPU-only Release build, GGML_NATIVE (tuned for this CPU, the best llama.cpp can do here), of just the
# two tools the bench runs: llama-bench (pp/tg tokens/s) and llama-completion (one prompt, timings).
# Not run by npm test. Idempotent: a built cache dir is left alone (bump node-llama-cpp: new dir).
#   usage: install-llama-cpp-peer.sh     prints the bin dir on stdout
# Measured here (2 shared cores, -j2): ~10-15 min the first time; 0 s after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/../lib.sh"
pkg="$root/node_modules/node-llama-cpp/llama"
[ -f "$pkg/gitRelease.bundle" ] || { log "no $pkg/gitRelease.bundle (npm ci first)"; exit 1; }
release="$(node -e 'console.log(require(process.argv[1]).tag)' "$pkg/llama.cpp.info.json")"
commit="$(git bundle list-heads "$pkg/gitRelease.bundle" | awk '{print substr($1,1,12); exit}')"
dir="$VOXFLOW_CACHE/tools/llama.cpp-$release-$commit"
bin="$dir/build/bin"
tools=(llama-bench llama-completion)
built=1; for t in "${tools[@]}"; do [ -x "$bin/$t" ] || built=0; done
if [ "$built" = 1 ] && [ -f "$dir/.built" ]; then echo "$bin"; exit 0; fi

log "building llama.cpp $release ($commit) peer in $dir (CPU, Release, -j2)"
started=$(date +%s)
mkdir -p "$VOXFLOW_CACHE/tools"
if [ ! -d "$dir/src/.git" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  git clone --quiet "$pkg/gitRelease.bundle" "$dir/src"
fi
# Everything not needed is off: no server (its web UI would be fetched from the network), no tests,
# examples, curl/openssl, or GPU backends.
cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF >&2
cmake --build "$dir/build" --config Release -j2 --target "${tools[@]}" >&2
for t in "${tools[@]}"; do [ -x "$bin/$t" ] || { log "build finished without $bin/$t"; exit 1; }; done
date -u +%FT%TZ > "$dir/.built"
log "llama.cpp peer built in $(( $(date +%s) - started )) s: $bin"
echo "$bin"
