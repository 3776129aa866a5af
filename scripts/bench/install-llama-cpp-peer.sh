#!/usr/bin/env bash
# Builds the bench peer for `npm run bench -- llm`: llama.cpp itself, from the very source our runtime
# runs. node-llama-cpp (pinned in package.json) ships that source as a git bundle
# (node_modules/node-llama-cpp/llama/gitRelease.bundle, release named in llama/llama.cpp.info.json), so
# no network is needed and the peer cannot drift from the runtime's llama.cpp version.
# CPU-only Release build, GGML_NATIVE (tuned for this CPU, the best llama.cpp can do here), of just the
# two tools the bench runs: llama-bench (pp/tg tokens/s) and llama-completion (one prompt, timings).
# Not run by npm test. Idempotent: a built cache dir is left alone (bump node-llama-cpp: new dir).
#   usage: install-llama-cpp-peer.sh     prints the bin dir on stdout
# Measured here (2 cores shared with 4 busy helpers, load ~10, -j2): 31 min the first time; 0 s after.
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
# Everything not needed is off: no server (its web UI would be fetched from the network), no tests,
# examples, curl/openssl, or GPU backends. GGML_OPENMP=OFF as in node-llama-cpp's prebuilt binaries
# (ggml's own thread pool on both sides): with OpenMP's spinning workers the peer ran 0.5 tok/s on
# this oversubscribed machine, which would have measured OpenMP, not the runtime.
flags=(-DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DGGML_OPENMP=OFF -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF
  -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF)
built=1; for t in "${tools[@]}"; do [ -x "$bin/$t" ] || built=0; done
# Built means: the tools exist and were built with these very flags (changed flags rebuild).
if [ "$built" = 1 ] && [ "$(cat "$dir/.built" 2>/dev/null)" = "${flags[*]}" ]; then echo "$bin"; exit 0; fi

log "building llama.cpp $release ($commit) peer in $dir (CPU, Release, -j2)"
started=$(date +%s)
mkdir -p "$VOXFLOW_CACHE/tools"
if [ ! -d "$dir/src/.git" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  git clone --quiet "$pkg/gitRelease.bundle" "$dir/src"
fi
cmake -S "$dir/src" -B "$dir/build" "${flags[@]}" >&2
cmake --build "$dir/build" --config Release -j2 --target "${tools[@]}" >&2
for t in "${tools[@]}"; do [ -x "$bin/$t" ] || { log "build finished without $bin/$t"; exit 1; }; done
echo "${flags[*]}" > "$dir/.built"
log "llama.cpp peer built in $(( $(date +%s) - started )) s: $bin"
echo "$bin"
