#!/usr/bin/env bash
# Installs the official `openai` Python package in its own venv, for test/openai/ (the Node package
# is a pinned devDependency). Idempotent and cached; the venv's path carries the pinned version.
#   usage: install-openai-clients.sh        prints the venv's python on stdout
#   result: $VOXFLOW_CACHE/tools/openai-python-<ver>/bin/python
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

OPENAI_PYTHON_VERSION="3.57.0"
venv="$VOXFLOW_CACHE/tools/openai-python-$OPENAI_PYTHON_VERSION"

venv_in_place "$venv" "openai==$OPENAI_PYTHON_VERSION"
echo "$venv/bin/python"
