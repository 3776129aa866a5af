#!/usr/bin/env bash
# Runs the Temporal dev server alone in the foreground (persistent SQLite under data/, Web UI on :8233),
# with voxflow's search attributes registered. `npm start` does this for you; use this to run it by hand.
# SQLite in WAL mode with synchronous=normal (as temporal/dev-server.ts): commits do not wait on fsync; a killed
# server loses nothing committed, a power loss at most the last commits. One partition per task queue (one process).
# The Web UI has no authentication: it stays on 127.0.0.1 (see README, Supervision) and must never be published.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="$(bash "$here/install.sh")"
data="${VOXFLOW_DATA_DIR:-data}/temporal"
mkdir -p "$data"
exec "$cli" server start-dev \
  --ip 127.0.0.1 --port "${TEMPORAL_DEV_PORT:-7233}" --ui-port "${TEMPORAL_UI_PORT:-8233}" \
  --db-filename "$data/temporal.sqlite" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal --namespace "${TEMPORAL_NAMESPACE:-default}" --log-level warn \
  --search-attribute VoxflowTenant=Keyword --search-attribute VoxflowRecipe=Keyword --search-attribute VoxflowStatus=Keyword --search-attribute VoxflowLanguage=Keyword --search-attribute VoxflowCurrentStep=Keyword \
  --search-attribute VoxflowModel=KeywordList --search-attribute VoxflowDuration=Keyword \
  --dynamic-config-value system.enableActivityEagerExecution=true \
  --dynamic-config-value matching.numTaskqueueReadPartitions=1 --dynamic-config-value matching.numTaskqueueWritePartitions=1
