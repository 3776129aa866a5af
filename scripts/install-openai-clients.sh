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

# Built in place (venv scripts hard-code their path, so no build-then-rename); the marker, written
# last, says the install completed.
if [ ! -f "$venv/.installed" ]; then
  log "creating openai (Python) $OPENAI_PYTHON_VERSION venv ($venv)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openai==$OPENAI_PYTHON_VERSION"
  touch "$venv/.installed"
fi
echo "$venv/bin/python"
