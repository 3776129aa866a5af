#!/usr/bin/env bash
# Records a job's workflow history as JSON (the same format the Web UI downloads), for replay tests
# and for operators debugging a job offline: scripts/record-history.sh JOB_ID > history.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="$(bash "$here/../temporal/install.sh")"
exec "$cli" workflow show --address "${TEMPORAL_ADDRESS:-127.0.0.1:7233}" --namespace "${TEMPORAL_NAMESPACE:-default}" \
  --workflow-id "$1" --output json
