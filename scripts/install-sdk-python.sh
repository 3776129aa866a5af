#!/usr/bin/env bash
# The Python SDK's test venv: the SDK's pinned runtime dependencies (sdk/python/pyproject.toml),
# pytest, requests (the upstream example client `example.py` imports it) and setuptools/wheel (the CLI
# test installs the SDK from sdk/python into a temporary prefix, console script included). The SDK is not
# installed here: the tests put sdk/python/src on PYTHONPATH, so the venv is shared by every clone.
#   usage: install-sdk-python.sh        prints the venv's python on stdout; idempotent and cached
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

# Keep in step with sdk/python/pyproject.toml (runtime pins) — the cache key changes with them.
PINS="httpx==0.28.1 websockets==15.0.1 pytest==8.4.2 requests==2.32.5 setuptools==75.8.0 wheel==0.45.1"
key="$(printf '%s' "$PINS" | sha256sum | cut -c1-12)"
venv="$VOXFLOW_CACHE/tools/sdk-python-$key"

# shellcheck disable=SC2086
venv_atomic "$venv" $PINS
echo "$venv/bin/python"
