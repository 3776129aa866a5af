/**
 * Determinism guard: recorded histories of real jobs must replay against today's workflow code.
 * A change that would break in-flight jobs fails here (record new ones with scripts/record-history.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { historyFromJSON as HistoryFromJSON } from '@temporalio/common/lib/proto-utils';
import { testConfig } from '../helpers/config';
import { speechWav } from '../helpers/media';
import { startJob } from '../helpers/jobs';
import { startStack, workflowBundle } from '../helpers/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { historyFromJSON } = require('@temporalio/common/lib/proto-utils') as { historyFromJSON: typeof HistoryFromJSON };

const fixtures = path.join(__dirname, '..', 'fixtures', 'histories');

it.each(fs.readdirSync(fixtures).filter((f) => f.endsWith('.json')))('replays recorded history %s', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8')));
  expect(history.events?.length).toBeGreaterThan(5);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
});

it('replays a history recorded from a live run just now', async () => {
  const config = testConfig();
  const stack = await startStack(config);
  try {
    const { handle } = await startJob(stack.client, config, stack.store, speechWav(path.join(config.dataDir, 'm'), 'Replay me.'));
    await handle.result();
    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history)).resolves.toBeUndefined();
  } finally {
    await stack.stop();
  }
});

it('detects a nondeterministic change (the guard can fail)', async () => {
  const raw = JSON.parse(fs.readFileSync(path.join(fixtures, 'enhance-audio-succeeded.json'), 'utf8'));
  // Pretend the recorded run scheduled a different activity than today's code does.
  for (const e of raw.events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name === 'enhance') a.activityType.name = 'transcribe';
  }
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(raw))).rejects.toThrow();
});
