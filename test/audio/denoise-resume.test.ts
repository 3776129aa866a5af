/**
 * The neural enhance step resumes for real: a worker SIGKILLed after the step stored its first
 * checkpoint (a 60 s part + the model's state) is replaced, and the retried step picks up from
 * that part instead of from zero; the WAV it stores is as long as the decoded audio.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { createStore } from '../../lib/storage';
import { probeMedia } from '../../lib/audio';
import type { JobResult, StepHeartbeat } from '../../workflows/model';
import type { EnhanceCheckpoint } from '../../activities/enhance';
import { testConfig } from '../helpers/config';
import { longNoisyAudio } from '../helpers/media';
import { activityAttempts, startJob, until } from '../helpers/jobs';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(420_000);

const workers: WorkerProcess[] = [];
afterEach(() => stopWorkers(workers));

async function checkpoint(client: Client, jobId: string): Promise<EnhanceCheckpoint | undefined> {
  const d = await client.workflow.getHandle(jobId).describe();
  const p = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'enhance');
  const payload = p?.heartbeatDetails?.payloads?.[0];
  return payload ? (defaultPayloadConverter.fromPayload<StepHeartbeat>(payload).resumeFrom as EnhanceCheckpoint | undefined) : undefined;
}

it('kill -9 after the first checkpoint: the retried GTCRN step resumes from it and finishes the whole file', async () => {
  const config = testConfig();
  const store = createStore(config);
  await store.init();
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection });
  try {
    const first = spawnWorker(config, 'all', 'worker-1.log');
    workers.push(first);
    await first.ready;
    const seconds = 130;
    const file = longNoisyAudio(path.join(config.dataDir, 'media'), seconds);
    const { handle, jobId } = await startJob(client, config, store, file, 'enhance-audio', 'tenant-test', {
      enhance: { model: 'gtcrn', strength: 1, loudnessLufs: -16, sampleRate: 16000 },
    });
    await until(async () => ((await checkpoint(client, jobId))?.parts ?? 0) >= 1, 300_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = spawnWorker(config, 'all', 'worker-2.log');
    workers.push(second);
    await second.ready;
    const result = (await handle.result()) as JobResult;
    expect((await activityAttempts(client, jobId)).enhance).toEqual([2]);
    expect(result.enhance).toMatchObject({ model: 'gtcrn', sampleRate: 16000 });
    // Resumed at a part boundary (60 s of input each), not from zero.
    expect(result.enhance!.resumedFromS).toBeGreaterThanOrEqual(60);
    expect(result.enhance!.resumedFromS % 60).toBe(0);
    const info = await store.withLocalFile(result.outputs[0].key, (p) => probeMedia(config.media, p));
    expect(Math.abs(info.duration - seconds)).toBeLessThan(0.05);
    // The parts are gone once the output is stored.
    const left: string[] = [];
    for await (const o of store.list(`${result.outputs[0].key}.parts/`)) left.push(o.key);
    expect(left).toEqual([]);
  } finally {
    await connection.close();
  }
});
