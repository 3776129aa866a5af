/**
 * Billing follows the decoded audio, not container metadata; one request has one price; anonymous
 * callers are bounded by decoded length; a job that does not succeed leaves nothing in storage.
 * Real workflows on the dev server, real workers, ffmpeg and storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { failureOf, toHttpError } from '../../api/errors';
import type { JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { durationOf, speechWav } from '../helpers/media';
import { lyingMkv, truncatedMp3 } from '../helpers/lying-media';
import { activityAttempts, startJob } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { variedSpeech } from '../helpers/varied-speech';

const config = testConfig();
let stack: Stack;
let dir: string;

beforeAll(async () => {
  stack = await startStack(config);
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => stack?.stop());

const account = (credits: number) => stack.ledger.createAccount({ tenant: `decoded-${Math.random()}`, credits });
const transcribeOpts = (diarize: boolean) => ({ transcribe: { model: 'base', language: 'en', diarize, speakers: 0, wordTimestamps: true } });

async function keysOf(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of stack.store.list(prefix)) out.push(o.key);
  return out;
}

it('bills a Matroska file whose Duration claims 1.5 s for the 180 s it decodes to (enhance)', async () => {
  const lying = lyingMkv(dir, 180, 1.5);
  expect(durationOf(lying)).toBeCloseTo(1.5, 3); // the container really lies
  const a = await account(10);
  const { handle, jobId } = await startJob(stack.client, config, stack.store, lying, 'enhance-audio', a.tenant, { billing: { accountId: a.id } });
  const result = (await handle.result()) as JobResult;
  expect(result.media.duration).toBeCloseTo(180, 1); // what X-Duration reports
  expect(result.media.declaredDuration).toBeCloseTo(1.5, 3);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 3, settled: 3, refunded: null }]);
  expect(await stack.ledger.balance(a.id)).toBe(7);
  // The enhanced output is the whole 180 s, and so is what was billed.
  expect(await stack.store.withLocalFile(result.outputs[0].key, async (p) => durationOf(p))).toBeCloseTo(180, 0);
});

it('bills the first 3,000 bytes of a 180 s MP3 for what decodes, not for the 180 s its header claims', async () => {
  const cut = truncatedMp3(dir, 180, 3000);
  expect(durationOf(cut)).toBeGreaterThan(120); // ffprobe believes the header
  const a = await account(10);
  const { handle, jobId } = await startJob(stack.client, config, stack.store, cut, 'enhance-audio', a.tenant, { billing: { accountId: a.id } });
  const result = (await handle.result()) as JobResult;
  expect(result.media.duration).toBeLessThan(1);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 1, settled: 1, refunded: null }]);
  expect(await stack.ledger.balance(a.id)).toBe(9);
});

it('charges a transcription with diarization ⌈decoded minutes⌉ once, with a zero-priced diarize entry, and deletes the parts after the step', async () => {
  // Real speech looped to 65 s (several parts); no 30 s window says a sentence twice (see varied-speech.ts).
  const lying = lyingMkv(dir, 65, 2, 'lying-65.mkv', variedSpeech(dir).wav);
  const a = await account(2); // exactly the request's price
  const { handle, jobId } = await startJob(stack.client, config, stack.store, lying, 'transcribe', a.tenant, {
    billing: { accountId: a.id },
    ...transcribeOpts(true),
  });
  const result = (await handle.result()) as JobResult;
  expect(result.steps.map((s) => [s.name, s.status])).toEqual([['probe', 'done'], ['transcribe', 'done'], ['diarize', 'done'], ['embed', 'done']]);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([
    { step: 'transcribe', reserved: 2, settled: 2, refunded: null },
    { step: 'diarize', reserved: 0, settled: 0, refunded: null },
  ]);
  expect(await stack.ledger.balance(a.id)).toBe(0);
  expect(result.transcript!.words).toBeGreaterThan(60);
  expect(await keysOf(`jobs/${jobId}/transcribe/`)).toEqual([]);
  // What stays: the segment vectors of the embed step (chat and search), the speaker turns and the transcript.
  expect((await keysOf(`jobs/${jobId}/`)).sort()).toEqual([`jobs/${jobId}/segment-vectors.bin`, `jobs/${jobId}/speaker-turns.json`, `jobs/${jobId}/transcript.json`]);
}, 400_000);

it('refuses audio past the tier\'s limit (anonymous) by its decoded length (413), before any GPU work, and deletes the upload', async () => {
  const lying = lyingMkv(dir, 90, 1, 'anon-90.mkv'); // claims 1 s, holds 90 s
  const anonymous = { maxAudioSeconds: 60 }; // what the API sets for the anonymous tier (VOXFLOW_ANON_MAX_AUDIO_S)
  const { handle, jobId, input } = await startJob(stack.client, config, stack.store, lying, 'enhance-audio', 'anon:127.0.0.1', anonymous);
  const err = await handle.result().catch((e) => e);
  const f = failureOf(err)!;
  expect(f.type).toBe('AudioTooLong');
  expect(f.message).toMatch(/at most 1 minute of audio/);
  const http = toHttpError(err);
  expect(http.status).toBe(413);
  expect(http.body).toMatchObject({ type: 'AudioTooLong', code: 'audio_too_long' });
  expect((await activityAttempts(stack.client, jobId)).enhance).toBeUndefined();
  expect(await stack.store.stat(input.mediaKey)).toBeNull();

  // The same file with an account (no limit) is billed, not refused; and anonymous audio under the limit runs.
  const a = await account(5);
  const billed = await startJob(stack.client, config, stack.store, lying, 'enhance-audio', a.tenant, { billing: { accountId: a.id } });
  await billed.handle.result();
  expect(await stack.ledger.balance(a.id)).toBe(3);
  const short = await startJob(stack.client, config, stack.store, speechWav(dir, 'Short enough for anyone.'), 'enhance-audio', 'anon:127.0.0.1', anonymous);
  await short.handle.result();
});

it('deletes what a rejected or failed job leaves: the upload and its outputs', async () => {
  const bogus = path.join(dir, 'bogus.mp3');
  fs.writeFileSync(bogus, 'not audio at all\n'.repeat(200));
  const rejected = await startJob(stack.client, config, stack.store, bogus);
  expect(failureOf(await rejected.handle.result().catch((e) => e))?.type).toBe('InvalidMedia');
  expect(await keysOf(`uploads/${rejected.jobId}/`)).toEqual([]);

  // No credits: refused at the first billed step; nothing of the job stays.
  const broke = await account(0);
  const clip = path.join(dir, 'clip.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=2:r=16000', clip]);
  const poor = await startJob(stack.client, config, stack.store, clip, 'enhance-audio', broke.tenant, { billing: { accountId: broke.id } });
  expect(failureOf(await poor.handle.result().catch((e) => e))?.type).toBe('InsufficientCredits');
  expect(await keysOf(`uploads/${poor.jobId}/`)).toEqual([]);
  expect(await keysOf(`jobs/${poor.jobId}/`)).toEqual([]);
});
