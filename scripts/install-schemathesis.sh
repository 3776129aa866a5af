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

venv_in_place "$venv" "schemathesis==$SCHEMATHESIS_VERSION"  # its console script is what the test runs
echo "$venv/bin/schemathesis"
