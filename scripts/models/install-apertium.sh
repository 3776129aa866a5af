#!/usr/bin/env bash
# Apertium (rule-based MT) and the English pairs /v1/translate may route to (lib/translate/pairs.ts).
# Debian's packages are the supported source; the pair data lands in /usr/share/apertium/modes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
# Packages and a mode each must provide (pair data packages are named by language triples).
packages=(apertium apertium-eng-spa apertium-eng-cat apertium-en-gl)
modes=(eng-spa spa-eng eng-cat cat-eng en-gl gl-en)
have_all() {
  command -v apertium >/dev/null || return 1
  local listed
  listed="$(apertium -l 2>/dev/null | tr -d " \t")" || return 1
  for m in "${modes[@]}"; do grep -qx "$m" <<<"$listed" || return 1; done
}
if have_all; then exit 0; fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing Apertium and its English pairs from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  have_all || { log "Apertium installed but a pair mode is missing (want: ${modes[*]}; have: $(apertium -l | tr '\n' ' '))"; exit 1; }
else
  log "Apertium missing: install it (e.g. 'sudo apt-get install ${packages[*]}'); without it /v1/translate serves only the LLM pairs"
  exit 1
fi
