#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI fuzzer of test/api/openapi-fuzz.test.ts) in its own venv.
# Idempotent and cached; the venv's path carries the pinned version.
#   usage: install-schemathesis.sh        prints the schemathesis command on stdout
#   result: $VOXFLOW_CACHE/tools/schemathesis-<ver>/bin/schemathesis
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

SCHEMATHESIS_VERSION="4.32.5"
venv="$VOXFLOW_CACHE/tools/schemathesis-$SCHEMATHESIS_VERSION"

# Built in place (venv scripts hard-code their path, so no build-then-rename); the marker, written
# last, says the install completed.
if [ ! -f "$venv/.installed" ]; then
  log "creating schemathesis $SCHEMATHESIS_VERSION venv ($venv)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$venv/.installed"
fi
echo "$venv/bin/schemathesis"
