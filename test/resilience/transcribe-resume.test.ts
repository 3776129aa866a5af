/**
 * A worker killed with SIGKILL in the middle of a long transcription: the retried step resumes from
 * the last heartbeated chunk (its checkpoint), not from zero, and the transcript is still complete.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { text } from 'node:stream/consumers';
import { createStore } from '../../lib/storage';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult, StepHeartbeat } from '../../workflows/model';
import type { TranscribeCheckpoint } from '../../activities/transcribe';
import { testConfig } from '../helpers/config';
import { variedSpeech } from '../helpers/varied-speech';
import { wer } from '../helpers/wer';
import { activityAttempts, startJob, until } from '../helpers/jobs';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(600_000);

const workers: WorkerProcess[] = [];
afterAll(() => stopWorkers(workers));

it('resumes a killed transcription from its last checkpoint and still covers all the speech', async () => {
  const config = testConfig();
  const store = createStore(config);
  await store.init();
  const dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  // Real speech (jfk + LibriVox, ~42 s, no sentence twice in a 30 s window: see varied-speech.ts) three
  // times over: ~125 s, several VAD chunks. Twelve back-to-back copies of jfk made every window a repeat,
  // which Whisper's compression-ratio rule decodes at all six temperatures.
  const passes = 3;
  const speech = variedSpeech(dir);
  const long = path.join(dir, 'long.wav');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-stream_loop', String(passes - 1), '-i', speech.wav, '-c', 'copy', long]);

  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection });
  try {
    const first = spawnWorker(config, 'all', 'worker-1.log');
    workers.push(first);
    await first.ready;
    const { handle, jobId } = await startJob(client, config, store, long, 'transcribe');

    const checkpoint = async () => {
      const d = await handle.describe();
      const p = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'transcribe');
      const payload = p?.heartbeatDetails?.payloads?.[0];
      return payload ? (defaultPayloadConverter.fromPayload<StepHeartbeat>(payload).resumeFrom as TranscribeCheckpoint) : undefined;
    };
    const before = await until(async () => {
      const cp = await checkpoint();
      return cp && cp.parts >= 2 ? cp : undefined;
      // Two chunks on a loaded 2-core CI machine: the language vote and the coverage pass come first.
    }, 300_000);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnWorker(config, 'all', 'worker-2.log');
    workers.push(second);
    await second.ready;
    const result = (await handle.result()) as JobResult;

    expect((await activityAttempts(client, jobId)).transcribe).toEqual([2]);
    // Resumed from the checkpoint the killed attempt had heartbeated (or a later one), not from zero.
    expect(result.transcript!.resumedFromS).toBeGreaterThanOrEqual(before.offsetS);
    expect(result.transcript!.resumedFromS).toBeGreaterThan(0);
    const t = JSON.parse(await text(await store.get(result.outputs[0].key))) as Transcript;
    // All three passes are there (chunk boundaries may split a sentence, so compare words, not phrases).
    expect(wer(Array(passes).fill(speech.text).join(' '), t.text)).toBeLessThanOrEqual(0.2);
    for (let i = 1; i < t.segments.length; i++) expect(t.segments[i].start).toBeGreaterThanOrEqual(t.segments[i - 1].start);
  } finally {
    await connection.close();
  }
});
