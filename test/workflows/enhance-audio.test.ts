/** The enhance-audio recipe on a real Temporal dev server with real workers, storage and ffmpeg. */
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createStore } from '../../lib/storage';
import { probeMedia } from '../../lib/audio';
import { SA, type JobProgress, type JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { longNoisyAudio, speechWav } from '../helpers/media';
import { activityAttempts, startJob, until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { flakyStore } from '../helpers/flaky-store';
import { failureOf } from '../../api/errors';

const config = testConfig();
let stack: Stack;
const flaky = flakyStore(createStore(config));
let dir: string;


beforeAll(async () => {
  dir = path.join(config.dataDir, 'media');
  stack = await startStack(config, { store: flaky.store });
});
afterAll(() => stack?.stop());

it('probes, enhances and stores the result; progress, search attributes and history tell the story', async () => {
  const file = speechWav(dir, 'Enhancement runs as a durable Temporal workflow.');
  const { handle, jobId } = await startJob(stack.client, config, stack.store, file);
  const result = (await handle.result()) as JobResult;

  expect(result.jobId).toBe(jobId);
  expect(result.media.duration).toBeGreaterThan(1);
  expect(result.steps.map((s) => [s.name, s.status])).toEqual([['probe', 'done'], ['enhance', 'done']]);
  const out = result.outputs[0];
  expect(out).toMatchObject({ kind: 'audio', contentType: 'audio/wav', key: `jobs/${jobId}/enhanced.wav` });
  const info = await stack.store.withLocalFile(out.key, (p) => probeMedia(config.media, p));
  expect(info.audio.sampleRate).toBe(48000);
  expect(Math.abs(info.duration - result.media.duration)).toBeLessThan(0.1);

  const progress = await handle.query<JobProgress>('progress');
  expect(progress.status).toBe('succeeded');
  const desc = await handle.describe();
  expect(desc.typedSearchAttributes.get(SA.status)).toBe('succeeded');
  expect(desc.typedSearchAttributes.get(SA.tenant)).toBe('tenant-test');
  expect(desc.typedSearchAttributes.get(SA.recipe)).toBe('enhance-audio');
  // Operators find jobs by these attributes (visibility is eventually consistent).
  await until(async () => {
    for await (const wf of stack.client.workflow.list({ query: `VoxflowTenant = 'tenant-test' AND VoxflowStatus = 'succeeded'` })) {
      if (wf.workflowId === jobId) return true;
    }
    return false;
  });
  // The workflow history holds keys and summaries, never the media itself (claim check).
  const history = await handle.fetchHistory();
  expect(JSON.stringify(history).length).toBeLessThan(64 * 1024);
});

it('retries a step on its own after a transient failure and still succeeds', async () => {
  flaky.failures.next = 1;
  const file = speechWav(dir, 'A flaky disk must not lose this job.', 'flaky.wav');
  const { handle, jobId } = await startJob(stack.client, config, stack.store, file);
  await handle.result();
  const attempts = await activityAttempts(stack.client, jobId);
  expect(attempts.probe).toEqual([1]);
  // Temporal records only the last attempt's start event: the retried step shows attempt 2.
  expect(attempts.enhance).toEqual([2]);
});

it('fails fast with a typed, non-retryable InvalidMedia failure for non-media uploads', async () => {
  const fs = await import('node:fs');
  const bogus = path.join(dir, 'bogus.mp3');
  fs.writeFileSync(bogus, 'definitely not an mp3\n'.repeat(100));
  const { handle, jobId } = await startJob(stack.client, config, stack.store, bogus);
  const err = await handle.result().catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const f = failureOf(err) as ApplicationFailure;
  expect(f.type).toBe('InvalidMedia');
  expect((f.details?.[0] as { code: string }).code).toBe('not_media');
  expect((await activityAttempts(stack.client, jobId)).probe).toEqual([1]);
  expect((await handle.describe()).typedSearchAttributes.get(SA.status)).toBe('failed');
});

it('reports running progress from heartbeats and can be cancelled', async () => {
  const file = longNoisyAudio(dir, 1800, 'long-cancel.wav');
  const { handle } = await startJob(stack.client, config, stack.store, file);
  const beat = await until(async () => {
    const d = await handle.describe();
    const p = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'enhance');
    return p?.heartbeatDetails?.payloads?.length ? p : undefined;
  }, 60_000);
  expect(beat.activityType?.name).toBe('enhance');
  await handle.cancel();
  const err = await handle.result().catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  expect((await handle.describe()).typedSearchAttributes.get(SA.status)).toBe('cancelled');
});
