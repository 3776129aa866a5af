/**
 * The transcribe step resumes from ANY checkpoint it may be handed (finding 3 of the hardening
 * issue): attempt 1 finished during a Temporal outage (wrote the transcript, could not report),
 * attempt 2 is handed an older heartbeat checkpoint. Driven through the real activity with
 * @temporalio/testing's MockActivityEnvironment (heartbeat details as Temporal would hand them),
 * the real Silero VAD, real ffmpeg decoding and real local storage; only the Whisper model is a
 * stand-in that labels each chunk, so the test checks resumption, not recognition.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { createTranscribeActivity, type TranscribeCheckpoint, type TranscribeInput, type TranscribeOutput } from '../../activities/transcribe';
import { asActivityFailure } from '../../activities/failures';
import { createStore, ObjectNotFoundError, type ObjectStore } from '../../lib/storage';
import { SileroVad } from '../../lib/vad/silero';
import type { InferenceEngines, SpeechRecognizer } from '../../lib/asr/types';
import type { Transcript } from '../../lib/transcript/types';
import type { StepHeartbeat } from '../../workflows/model';
import { transcribePartKey, transcribePartsPrefix, transcribeResultKey } from '../../workflows/storage-keys';
import { testConfig } from '../helpers/config';
import { jfk, vadModelFile } from '../helpers/models';

jest.setTimeout(180_000);

const config = testConfig();
let store: ObjectStore;
let vad: SileroVad;
let speech: string;
let silence: string;
let calls = 0;
let slowMs = 0;

/** Stands in for Whisper: one segment per chunk, saying how long the chunk was. */
const recognizer: SpeechRecognizer = {
  id: 'stand-in',
  multilingual: false,
  async detectLanguage() {
    return { language: 'en', probability: 1 };
  },
  async transcribeChunk(pcm) {
    calls += 1;
    if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    const seconds = pcm.length / 16_000;
    return { language: 'en', noSpeechProb: 0, segments: [{ start: 0, end: seconds, text: ` chunk of ${seconds.toFixed(2)} s`, confidence: 0.9, words: [] }] } as never;
  },
};

const engines: InferenceEngines = {
  recognizer: async () => recognizer,
  vad: async () => vad,
  diarizer: async () => {
    throw new Error('not used');
  },
};

beforeAll(async () => {
  store = createStore(config);
  await store.init();
  vad = await SileroVad.load(vadModelFile());
  const dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  // Four copies of jfk, 20 s apart: several VAD chunks (at most 30 s each).
  speech = path.join(dir, 'four.wav');
  const copies = 4;
  const inputs = Array.from({ length: copies }, () => ['-i', jfk().wav]).flat();
  const filter =
    Array.from({ length: copies }, (_, i) => `[${i}:a]apad=pad_dur=9[a${i}]`).join(';') +
    ';' + Array.from({ length: copies }, (_, i) => `[a${i}]`).join('') + `concat=n=${copies}:v=0:a=1[o]`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[o]', '-ar', '16000', '-ac', '1', speech]);
  silence = path.join(dir, 'silence.flac');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '300', '-c:a', 'flac', silence]);
});
afterAll(() => vad.release());

let n = 0;
async function upload(file: string): Promise<TranscribeInput> {
  const jobId = `job_retry_${++n}_${Date.now()}`;
  const key = `uploads/${jobId}/source${path.extname(file)}`;
  await store.put(key, fs.createReadStream(file));
  return {
    jobId,
    key,
    durationSeconds: 80,
    options: { model: 'base', language: 'en', diarize: false, speakers: 0, wordTimestamps: false },
    outputKey: `jobs/${jobId}/transcript.json`,
    partsDeletedBy: 'workflow',
  };
}

/** One attempt of the real activity; `handed` is the heartbeat checkpoint Temporal would hand a retry. */
async function attempt(input: TranscribeInput, handed?: TranscribeCheckpoint) {
  const env = new MockActivityEnvironment({
    attempt: handed ? 2 : 1,
    heartbeatDetails: handed ? ({ progress: 0.1, resumeFrom: handed } satisfies StepHeartbeat) : undefined,
  });
  const checkpoints: TranscribeCheckpoint[] = [];
  env.on('heartbeat', (d: StepHeartbeat) => d.resumeFrom && checkpoints.push(d.resumeFrom as TranscribeCheckpoint));
  const before = calls;
  const result = (await env.run(createTranscribeActivity({ config, store, engines, log: pino({ level: 'silent' }) }), input)) as TranscribeOutput;
  return { result, checkpoints, recognised: calls - before };
}

const transcriptOf = async (key: string) => JSON.parse(await text(await store.get(key))) as Transcript;

it('a retry handed an older checkpoint after attempt 1 finished reuses the finished result', async () => {
  const input = await upload(speech);
  const first = await attempt(input);
  const older = first.checkpoints.find((c) => c.parts === 1)!;
  expect(older).toBeDefined();
  expect(first.checkpoints.at(-1)!.parts).toBeGreaterThanOrEqual(3);
  // The parts are still there: only the workflow deletes them, once it has recorded the result.
  for (let i = 0; i < first.checkpoints.at(-1)!.parts; i++) expect(await store.stat(transcribePartKey(input.jobId, i))).not.toBeNull();

  const second = await attempt(input, older);
  expect(second.result).toEqual(first.result);
  expect(second.recognised).toBe(0); // nothing transcribed twice
  expect((await transcriptOf(input.outputKey)).segments).toHaveLength(first.result.segments);
});

it('a retry handed an older checkpoint resumes from it when attempt 1 never finished', async () => {
  const input = await upload(speech);
  const first = await attempt(input);
  const complete = await transcriptOf(input.outputKey);
  // Attempt 1 "died" after its last part: no finished-result record, no transcript.
  await store.delete(transcribeResultKey(input.jobId));
  await store.delete(input.outputKey);
  const older = first.checkpoints.find((c) => c.parts === 1)!;
  expect(older).toBeDefined();

  const second = await attempt(input, older);
  expect(second.result.resumedFromS).toBe(older.offsetS);
  expect(second.result.resumedFromS).toBeGreaterThan(0);
  expect(second.recognised).toBeLessThan(first.recognised);
  const resumed = await transcriptOf(input.outputKey);
  expect(resumed.segments.length).toBe(complete.segments.length);
  expect(resumed.segments[0]).toEqual(complete.segments[0]);
});

it('a checkpoint whose parts are gone starts over instead of failing "object not found"', async () => {
  // The old behaviour: attempt 1 deleted its parts (and its record) after storing the transcript.
  const input = await upload(speech);
  const first = await attempt({ ...input, partsDeletedBy: undefined });
  expect([...(await listKeys(transcribePartsPrefix(input.jobId)))]).toEqual([]);
  const older = first.checkpoints.find((c) => c.parts === 1)!;
  expect(older).toBeDefined();

  const second = await attempt(input, older);
  expect(second.result.resumedFromS).toBe(0);
  expect(second.result.segments).toBe(first.result.segments);
});

it('heartbeats through five minutes of silence and moves the checkpoint with the audio', async () => {
  const input = { ...(await upload(silence)), durationSeconds: 300 };
  const started = Date.now();
  const run = await attempt(input);
  expect(run.result.segments).toBe(0);
  expect(run.recognised).toBe(0);
  // Position beats (about one a second of work) and a checkpoint near the end of the audio.
  const elapsedS = (Date.now() - started) / 1000;
  expect(run.checkpoints.length).toBeGreaterThanOrEqual(Math.min(5, Math.floor(elapsedS) - 1));
  const offsets = run.checkpoints.map((c) => c.offsetS);
  expect(Math.max(...offsets)).toBeGreaterThan(295);
  expect(new Set(offsets).size).toBeGreaterThan(2);
});

it('keeps heartbeating while a slow chunk is recognised (a busy CPU must not look like a dead worker)', async () => {
  const input = await upload(jfk().wav);
  slowMs = 12_000;
  const beats: number[] = [];
  const env = new MockActivityEnvironment({});
  env.on('heartbeat', () => beats.push(Date.now()));
  try {
    await env.run(createTranscribeActivity({ config, store, engines, log: pino({ level: 'silent' }) }), input);
  } finally {
    slowMs = 0;
  }
  const gaps = beats.slice(1).map((t, i) => t - beats[i]);
  expect(Math.max(...gaps)).toBeLessThan(8_000);
  expect(beats.at(-1)! - beats[0]).toBeGreaterThan(11_000);
});

it('types a missing object in our own storage as Internal, never as the caller’s input', () => {
  const f = asActivityFailure(new ObjectNotFoundError('jobs/job_x/transcribe/part-00000.json')) as ApplicationFailure;
  expect(f).toBeInstanceOf(ApplicationFailure);
  expect(f.type).toBe('Internal');
  expect(f.message).not.toMatch(/part-00000/); // internal paths stay in the log
});

async function listKeys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}
