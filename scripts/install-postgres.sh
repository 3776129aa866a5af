#!/usr/bin/env bash
# PostgreSQL server (Debian package) for the ledger tests against the several-machines database.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing PostgreSQL server from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
else
  log "PostgreSQL server missing: install it (sudo apt-get install postgresql)"; exit 1
fi
