/**
 * POST /v1/transcribe end to end with the real Whisper base model (onnxruntime-node, CPU), real
 * speech with reference text, a real Temporal dev server and real workers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Transcript } from '../../lib/transcript/types';
import { testConfig } from '../helpers/config';
import { asteriskPrompt, jfk, librivox } from '../helpers/models';
import { wer } from '../helpers/wer';
import { until } from '../helpers/jobs';
import { form, json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';
import { assertWellFormed, parseSrt, parseVtt } from '../helpers/subtitles';

const config = testConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: '100', VOXFLOW_SYNC_WAIT_MS: '90000' });
let stack: Stack;
let dir: string;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
async function transcribe(file: string, fields: Record<string, string> = {}) {
  return fetch(url('/v1/transcribe'), { method: 'POST', body: form(file, fields) });
}

it('transcribes real speech (jfk.wav) with the detected language, word timings and the model that ran', async () => {
  const res = await transcribe(jfk().wav);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-model')).toBe('base');
  const t = (await res.json()) as Transcript;
  expect(t.model).toBe('base');
  expect(t.language).toBe('en');
  expect(t.language_probability).toBeGreaterThan(0.5);
  expect(t.duration).toBeCloseTo(11, 0);
  expect(wer(jfk().text, t.text)).toBeLessThanOrEqual(0.15);
  // Diarization is on by default: one voice, one speaker, on every segment and word.
  expect(t.speakers).toEqual(['Speaker 1']);
  expect(t.segments.every((s) => s.speaker === 'Speaker 1' && s.words.every((w) => w.speaker === 'Speaker 1'))).toBe(true);
  let last = 0;
  for (const s of t.segments) {
    expect(s.confidence).toBeGreaterThan(0);
    expect(s.confidence).toBeLessThanOrEqual(1);
    expect(s.words.length).toBeGreaterThan(0);
    for (const w of s.words) {
      expect(w.start).toBeGreaterThanOrEqual(s.start);
      expect(w.end).toBeLessThanOrEqual(s.end);
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.start).toBeGreaterThanOrEqual(last);
      last = w.start;
    }
  }
  const words = t.segments.flatMap((s) => s.words);
  expect(Math.abs(words.length - 22)).toBeLessThanOrEqual(3);
  expect(words[0].start).toBeLessThan(1);
  expect(words[words.length - 1].end).toBeGreaterThan(9);
});

it('transcribes LibriVox recordings (real speech, Debian pocketsphinx-testdata) within 25% WER', async () => {
  for (const { wav, text } of librivox().slice(0, 3)) {
    const t = (await (await transcribe(wav, { language: 'en' })).json()) as Transcript;
    expect(t.language).toBe('en');
    expect(t.language_probability).toBeUndefined();
    expect(wer(text, t.text)).toBeLessThanOrEqual(0.25);
  }
});

it.each([
  ['fr', 'demo-congrats'],
  ['es', 'demo-congrats'],
] as const)('detects and transcribes real %s speech (Debian asterisk-core-sounds, 8 kHz telephone voice)', async (lang, name) => {
  const sample = asteriskPrompt(lang, name);
  const t = (await json(await transcribe(sample.wav))) as Transcript;
  expect(t.language).toBe(lang);
  expect(t.language_probability).toBeGreaterThan(0.5);
  // Whisper base on 8 kHz telephone audio: a loose bound, but far from chance.
  expect(wer(sample.text, t.text)).toBeLessThanOrEqual(0.5);
});

it('detects a non-English language (synthetic espeak-ng German)', async () => {
  const wav = path.join(dir, 'de.wav');
  execFileSync('espeak-ng', ['-v', 'de', '-w', wav, 'Guten Morgen, wie geht es Ihnen heute? Das Wetter ist sehr schön und wir gehen spazieren.']);
  const t = (await (await transcribe(wav)).json()) as Transcript;
  expect(t.language).toBe('de');
});

it('returns valid SRT, WebVTT and text', async () => {
  const srt = await (await transcribe(jfk().wav, { response_format: 'srt' })).text();
  const cues = parseSrt(srt);
  assertWellFormed(cues);
  expect(wer(jfk().text, cues.map((c) => c.text).join(' '))).toBeLessThanOrEqual(0.15);
  const vttRes = await transcribe(jfk().wav, { response_format: 'vtt' });
  expect(vttRes.headers.get('content-type')).toMatch(/^text\/vtt/);
  assertWellFormed(parseVtt(await vttRes.text()));
  const txt = await (await transcribe(jfk().wav, { response_format: 'txt' })).text();
  expect(wer(jfk().text, txt)).toBeLessThanOrEqual(0.15);
});

it('yields no text for silence (no hallucination)', async () => {
  const wav = path.join(dir, 'silence.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=white:a=0.003:r=16000:d=15', wav]);
  const t = (await (await transcribe(wav)).json()) as Transcript;
  expect(t.segments).toEqual([]);
  expect(t.text).toBe('');
});

it('refuses a model that is not installed with 400 naming the installed ones, and bad parameters', async () => {
  const res = await transcribe(jfk().wav, { model: 'large-v3' });
  expect(res.status).toBe(400);
  const body = await json(res);
  expect(body.code).toBe('model_not_installed');
  expect(body.installed).toContain('base');
  expect(body.error).toMatch(/large-v3.*not installed.*base/);
  for (const [k, v] of [['language', 'klingon'], ['response_format', 'docx'], ['speakers', '-1'], ['diarize', 'maybe']]) {
    const r = await transcribe(jfk().wav, { [k]: v });
    expect(r.status).toBe(400);
    expect((await json(r)).param).toBe(k);
  }
});

it('answers 202 when asked, with per-step progress and the transcript as the job result', async () => {
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { Prefer: 'respond-async' }, body: form(jfk().wav, { diarize: 'true' }) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const job = await until(async () => {
    const j = await json(await fetch(url(`/v1/jobs/${id}`)));
    return j.status === 'succeeded' ? j : undefined;
  }, 90_000);
  expect(job.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
    ['probe', 'done'],
    ['transcribe', 'done'],
    ['diarize', 'done'],
    ['embed', 'done'],
  ]);
  expect(job.result.transcript).toMatchObject({ model: 'base', language: 'en', resumedFromS: 0, speakers: 1 });
  const srt = await (await fetch(url(`/v1/jobs/${id}/result?format=srt`))).text();
  assertWellFormed(parseSrt(srt));
});
