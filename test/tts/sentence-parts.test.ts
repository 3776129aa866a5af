/**
 * The `tts` step's synthesis with stored parts (lib/tts/synthesize-parts.ts), on a local store and
 * the real Piper voice: every sentence's PCM is stored as it is made and the WAV is the header plus
 * the parts in order; a second attempt (a retry after a crash) resumes after the parts already
 * stored and keeps their bytes: a sentence a client may already have been streamed is never
 * synthesized again (VITS samples noise in the graph, so it would come out different).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { LocalDiskStore } from '../../lib/storage/local';
import { PiperVoice } from '../../lib/tts/piper';
import { partKey, partsPrefix, storedPartCount } from '../../lib/tts/sentence-parts';
import { synthesizeStoringParts } from '../../lib/tts/synthesize-parts';
import { wavHeader } from '../../lib/tts/wav';
import { cacheDir } from '../helpers/models';

jest.setTimeout(180_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-parts-'));
const store = new LocalDiskStore(path.join(dir, 'store'));
const KEY = 'jobs/job_parts/speech.wav';
const TEXT = 'One small sentence. Another one here. And a third to finish.';
let voice: PiperVoice;

beforeAll(async () => {
  await store.init();
  voice = await PiperVoice.load(path.join(cacheDir(), 'models', 'tts', 'en_US-joe-medium'), { intraOpNumThreads: 1 });
});
afterAll(async () => {
  await voice?.release();
  fs.rmSync(dir, { recursive: true, force: true });
});

const part = async (i: number) => buffer(await store.get(partKey(KEY, i)));

it('stores each sentence as it is made, resumes after the stored ones, and the WAV is the parts in order', async () => {
  const progress: Array<[number, number]> = [];
  const first = await synthesizeStoringParts(store, voice, TEXT, path.join(dir, 'a.wav'), { outputKey: KEY, espeak: 'espeak-ng', onPart: (d, t) => progress.push([d, t]) });
  expect(first).toMatchObject({ sentences: 3, resumedSentences: 0, sampleRate: 22050 });
  expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
  expect(await storedPartCount(store, KEY)).toBe(3);
  const parts = [await part(0), await part(1), await part(2)];
  for (const p of parts) expect(p.length).toBeGreaterThan(22050); // each sentence is speech, > 0.5 s
  const wav = fs.readFileSync(path.join(dir, 'a.wav'));
  expect(wav.equals(Buffer.concat([wavHeader(22050, first.samples), ...parts]))).toBe(true);

  // An attempt that stopped after two sentences: the third part never got stored.
  await store.delete(partKey(KEY, 2));
  const resumed: Array<[number, number]> = [];
  const second = await synthesizeStoringParts(store, voice, TEXT, path.join(dir, 'b.wav'), { outputKey: KEY, espeak: 'espeak-ng', onPart: (d, t) => resumed.push([d, t]) });
  expect(second).toMatchObject({ sentences: 3, resumedSentences: 2 });
  expect(resumed).toEqual([[2, 3], [3, 3]]);
  const again = fs.readFileSync(path.join(dir, 'b.wav'));
  // The first two sentences are the stored bytes, not a new (different) synthesis of them.
  expect(again.subarray(44, 44 + parts[0].length + parts[1].length).equals(Buffer.concat([parts[0], parts[1]]))).toBe(true);
  expect(again.subarray(44 + parts[0].length + parts[1].length).equals(await part(2))).toBe(true);
  expect(again.readUInt32LE(40)).toBe(second.samples * 2);
  await store.deletePrefix(partsPrefix(KEY));
  expect(await storedPartCount(store, KEY)).toBe(0);
});
