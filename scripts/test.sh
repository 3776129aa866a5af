#!/usr/bin/env bash
# README command 2 (and .ci/run): install whatever is missing, typecheck, run every test against
# real services (Temporal dev server and MinIO are started by the test setup), print a summary line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
bash scripts/ensure-node-deps.sh
bash scripts/install-ffmpeg.sh
bash scripts/install-test-tools.sh
bash scripts/install-browser.sh  # headless Chromium for the /demo page test (test/stream/demo-browser.test.ts)
bash temporal/install.sh >/dev/null
bash scripts/install-minio.sh >/dev/null
bash scripts/install-postgres.sh
bash scripts/models/install-vad.sh
bash scripts/models/install-whisper.sh base
bash scripts/models/install-whisper-int8-encoder.sh base  # the opt-in int8 encoder (VOXFLOW_WHISPER_ENCODER=int8; test/whisper/memory.test.ts)
bash scripts/models/install-whisper-stream.sh base  # WS /v1/stream's trimmed-window graphs (lib/streaming/stream-model.ts)
bash scripts/models/install-speaker.sh
bash scripts/models/install-tts.sh
bash scripts/models/install-embeddings.sh
bash scripts/bench/install-sentence-transformers.sh >/dev/null  # the embedding equality test's reference
bash scripts/models/install-llm.sh 0.5b
bash scripts/models/install-llm.sh 1.5b
bash scripts/models/install-apertium.sh
bash scripts/models/install-speech-samples.sh
bash scripts/install-openai-clients.sh >/dev/null
bash scripts/install-schemathesis.sh >/dev/null
bash scripts/models/install-denoisers.sh
bash scripts/models/install-noise.sh
bash scripts/install-sdk-python.sh >/dev/null  # the Python SDK tests' venv (test/sdk/)

npx tsc --noEmit -p .
mkdir -p .test-data
rc=0
# --forceExit: a handle a failed test leaks (a browser, a socket) must not hang the run past its report.
npx jest --ci --forceExit --json --outputFile=.test-data/jest.json "$@" || rc=$?
node -e '
  const r = require("./.test-data/jest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' || rc=1
exit $rc
