/**
 * A 2-hour silent FLAC through the transcribe workflow on the real dev server: the step heartbeats
 * by audio position (there is no speech to heartbeat after), so it finishes on its first attempt
 * with an empty transcript. Before, a long silence tripped the 60 s heartbeat timeout and every
 * retry restarted from zero (a 10-hour file ran 6 attempts and failed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { activityAttempts, startJob } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(900_000);

const config = testConfig();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(config);
});
afterAll(() => stack?.stop());

it('transcribes two hours of silence on the first attempt: an empty transcript, billed 120 credits', async () => {
  const dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  const silent = path.join(dir, 'two-hours.flac');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '7200', '-c:a', 'flac', silent]);
  const a = await stack.ledger.createAccount({ tenant: `silence-${Math.random()}`, credits: 200 });
  const { handle, jobId } = await startJob(stack.client, config, stack.store, silent, 'transcribe', a.tenant, {
    billing: { accountId: a.id },
    transcribe: { model: 'base', language: 'auto', diarize: false, speakers: 0, wordTimestamps: true },
  });
  const result = (await handle.result()) as JobResult;
  expect((await activityAttempts(stack.client, jobId)).transcribe).toEqual([1]);
  expect(result.media.duration).toBeCloseTo(7200, 0);
  expect(result.transcript).toMatchObject({ segments: 0, words: 0, resumedFromS: 0 });
  const t = JSON.parse(await text(await stack.store.get(result.outputs[0].key))) as Transcript;
  expect(t.segments).toEqual([]);
  expect(t.text).toBe('');
  expect(await stack.ledger.balance(a.id)).toBe(80);
});
