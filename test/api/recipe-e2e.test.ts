/**
 * POST /v1/jobs on the real models, the steps subtitles-es (recipes.test.ts) does not cover: the
 * `meeting` preset on a real two-speaker recording (Whisper base, CAM++ diarization, the 0.5B LLM
 * for the action items and the notes), and enhance → transcribe → embed (the neural denoiser, then
 * MiniLM vectors of the segments). Each job is then found by a visibility query on the search
 * attributes the workflow keeps current (model, language, duration bucket, current step), as the
 * Web UI's list filters find it, against the real Temporal dev server. A plain transcription shows
 * its embed step and carries the same attributes.
 *
 * VOXFLOW_RECORD_HISTORIES=<dir>: also writes each job's history there with scripts/record-history.sh
 * (how test/fixtures/histories/recipe-*.json are made).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SA } from '../../workflows/model';
import { textCredits } from '../../workflows/pricing';
import { testConfig } from '../helpers/config';
import { diarizationCase } from '../helpers/diarization-set';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { speechWav } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(600_000);

const LLM = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const config = testConfig({
  VOXFLOW_LLM_MODEL: LLM,
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  VOXFLOW_LLM_CHUNK_TOKENS: '1024',
  // Notes cut at 192 tokens (the type asks for up to 450): enough to assert on, less than half the CPU time.
  VOXFLOW_LLM_MAX_TOKENS: '192',
});

let stack: Stack;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-meeting-'));
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

type Step = { name: string; status: string; attempts?: number; credits?: unknown };
const get = (headers: Record<string, string>, p: string) => fetch(`${stack.baseUrl}${p}`, { headers: { Authorization: headers.Authorization } });
const upload = (headers: Record<string, string>, file: string, fields: Record<string, string>) =>
  fetch(`${stack.baseUrl}/v1/jobs?async=true`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(file, fields) });
const attributesOf = async (id: string) => (await stack.client.workflow.getHandle(id).describe()).typedSearchAttributes;
const finished = (headers: Record<string, string>, id: string) =>
  until(async () => {
    const v = await json(await get(headers, `/v1/jobs/${id}`));
    return ['succeeded', 'failed', 'cancelled'].includes(v.status) && v;
  }, 480_000, 500);

/** Job ids a visibility query finds (eventually consistent: waits until `id` is among them). */
async function found(query: string, id: string): Promise<string[]> {
  return until(async () => {
    const ids: string[] = [];
    for await (const w of stack.client.workflow.list({ query })) ids.push(w.workflowId);
    return ids.includes(id) && ids;
  }, 30_000, 500);
}

function record(id: string, name: string): void {
  const out = process.env.VOXFLOW_RECORD_HISTORIES;
  if (!out) return;
  const script = path.join(__dirname, '..', '..', 'scripts', 'record-history.sh');
  const history = execFileSync('bash', [script, id], { env: { ...process.env, TEMPORAL_ADDRESS: config.temporal.address, TEMPORAL_NAMESPACE: config.temporal.namespace }, maxBuffer: 64 << 20 });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, name), history);
}

/** A real two-voice recording (36 s) with one more turn that hands out a task, so there is an action item to find. */
function meetingRecording(): string {
  const task = speechWav(dir, 'Maria, I will send you the budget on Friday.', 'task.wav');
  const out = path.join(dir, 'meeting.wav');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', diarizationCase('two-voices').wav, '-i', task,
    '-filter_complex', '[0:a]aresample=16000,aformat=channel_layouts=mono[a];[1:a]aresample=16000,aformat=channel_layouts=mono,adelay=600[b];[a][b]concat=n=2:v=0:a=1', out]);
  return out;
}

it('runs the meeting preset on a real two-speaker recording: speakers, action items, meeting notes; found by model, language and duration', async () => {
  const { account, headers } = await paidKeyOn(stack, 'meeting', 100);
  const res = await upload(headers, meetingRecording(), { preset: 'meeting' });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await finished(headers, id);
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: Step) => [s.name, s.status, s.attempts])).toEqual([
    ['probe', 'done', 1],
    ['transcribe', 'done', 1],
    ['diarize', 'done', 1],
    ['summarize', 'done', 1],
    ['generate', 'done', 1],
  ]);
  const step = (name: string) => v.steps.find((s: Step) => s.name === name);
  // 37 s of audio: 1 credit for the request (transcribe carries it, diarize 0); each text step its own.
  expect(step('transcribe').credits).toEqual({ reserved: 1, charged: 1 });
  expect(step('diarize').credits).toEqual({ reserved: 0, charged: 0 });
  expect(step('summarize').credits).toEqual({ reserved: 1, charged: 1 });
  expect(step('generate').credits).toEqual({ reserved: 1, charged: 1 });
  expect(await stack.ledger.balance(account.id)).toBe(97);

  const transcript = await json(await get(headers, `/v1/jobs/${id}/result?step=diarize`));
  expect(transcript.language).toBe('en');
  expect(transcript.speakers.length).toBeGreaterThanOrEqual(2);
  expect(new Set(transcript.segments.map((s: { speaker: string }) => s.speaker)).size).toBeGreaterThanOrEqual(2);
  expect(transcript.text.toLowerCase()).toMatch(/budget/);

  const summary = await json(await get(headers, `/v1/jobs/${id}/result?step=summarize`));
  console.log(`action items:\n${summary.summary}`);
  expect(summary).toMatchObject({ style: 'action_items', model: LLM });
  const items = summary.summary.split('\n').filter((l: string) => /^- \S/.test(l));
  expect(items.length).toBeGreaterThanOrEqual(1);
  expect(items.some((l: string) => /budget/i.test(l))).toBe(true);

  const notes = await json(await get(headers, `/v1/jobs/${id}/result?step=generate`));
  console.log(`meeting notes:\n${notes.content}`);
  expect(notes).toMatchObject({ type: 'meeting_notes', model: LLM });
  expect(notes.content.trim().length).toBeGreaterThan(40);
  // The notes are about this recording: they use some word of it (five letters or more).
  const words = new Set<string>(transcript.text.toLowerCase().match(/\p{L}{5,}/gu) ?? []);
  expect((notes.content.toLowerCase().match(/\p{L}{5,}/gu) ?? []).some((w: string) => words.has(w))).toBe(true);

  // The Web UI's filters: every search attribute the job keeps, each one on its own, then all together.
  const tenant = `VoxflowTenant = '${account.tenant}'`;
  for (const q of [`VoxflowModel = 'base'`, `VoxflowModel = '${LLM}'`, `VoxflowLanguage = 'en'`, `VoxflowDuration = '<1m'`, `VoxflowCurrentStep = 'generate'`, `VoxflowStatus = 'succeeded'`, `VoxflowRecipe = 'recipe'`]) {
    expect(await found(`${tenant} AND ${q}`, id)).toEqual([id]);
  }
  expect(await found(`${tenant} AND VoxflowModel = 'base' AND VoxflowModel = '${LLM}' AND VoxflowDuration = '<1m' AND VoxflowLanguage = 'en'`, id)).toEqual([id]);
  // …and a filter that does not match finds nothing (the attributes are values, not wildcards).
  const none: string[] = [];
  for await (const w of stack.client.workflow.list({ query: `${tenant} AND VoxflowDuration = '1-10m'` })) none.push(w.workflowId);
  expect(none).toEqual([]);
  record(id, 'recipe-meeting-search-attributes.json');
});

it('runs enhance → transcribe → embed: the denoised audio is what is transcribed, one stored vector per segment, each step billed', async () => {
  const { account, headers } = await paidKeyOn(stack, 'enhance-embed', 100);
  const wav = speechWav(dir, 'The meeting is on Monday. We will talk about the new house.', 'monday.wav');
  const res = await upload(headers, wav, { steps: JSON.stringify([{ step: 'enhance', strength: 0.9 }, 'transcribe', 'embed']) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await finished(headers, id);
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: Step) => [s.name, s.status, s.attempts])).toEqual([
    ['probe', 'done', 1],
    ['enhance', 'done', 1],
    ['transcribe', 'done', 1],
    ['embed', 'done', 1],
  ]);
  const step = (name: string) => v.steps.find((s: Step) => s.name === name);
  for (const s of ['enhance', 'transcribe', 'embed']) expect(step(s).result_url).toBe(`/v1/jobs/${id}/result?step=${s}`);

  const audio = await get(headers, `/v1/jobs/${id}/result?step=enhance`);
  expect(audio.headers.get('content-type')).toBe('audio/wav');
  const wavBytes = Buffer.from(await audio.arrayBuffer());
  expect(wavBytes.subarray(0, 4).toString()).toBe('RIFF');
  const transcript = await json(await get(headers, `/v1/jobs/${id}/result?step=transcribe`));
  expect(transcript.text.toLowerCase()).toMatch(/monday/);
  const embed = await json(await get(headers, `/v1/jobs/${id}/result?step=embed`));
  expect(embed.dimensions).toBe(384);
  expect(embed.texts).toEqual(transcript.segments.map((s: { text: string }) => s.text.trim()));
  expect(embed.embeddings).toHaveLength(transcript.segments.length);
  for (const e of embed.embeddings) {
    expect(e).toHaveLength(384);
    expect(Math.hypot(...e)).toBeCloseTo(1, 3);
  }
  // The request's minute is carried by its first audio step; embed is priced on the characters it embedded.
  const chars = embed.texts.reduce((n: number, t: string) => n + [...t].length, 0);
  expect(step('enhance').credits).toEqual({ reserved: 1, charged: 1 });
  expect(step('transcribe').credits).toEqual({ reserved: 0, charged: 0 });
  expect(step('embed').credits).toEqual({ reserved: textCredits(chars), charged: textCredits(chars) });
  expect(await stack.ledger.balance(account.id)).toBe(100 - 1 - textCredits(chars));

  // Every model the job ran is one value of VoxflowModel: the denoiser, Whisper, the embedder.
  const models = (await attributesOf(id)).get(SA.model);
  expect(models).toEqual([expect.any(String), 'base', embed.model]);
  const tenant = `VoxflowTenant = '${account.tenant}'`;
  for (const model of models!) expect(await found(`${tenant} AND VoxflowModel = '${model}'`, id)).toEqual([id]);
  expect(await found(`${tenant} AND VoxflowCurrentStep = 'embed' AND VoxflowDuration = '<1m' AND VoxflowLanguage = 'en'`, id)).toEqual([id]);
  record(id, 'recipe-enhance-transcribe-embed.json');
});

it('a transcription shows its embed step (free) and is found by its models, language and duration', async () => {
  const { account, headers } = await paidKeyOn(stack, 'transcribe-sa', 10);
  const wav = speechWav(dir, 'Please call me back on Tuesday.', 'tuesday.wav');
  const res = await fetch(`${stack.baseUrl}/v1/transcribe`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(wav, { diarize: 'false' }) });
  expect(res.status).toBe(200);
  const id = res.headers.get('X-Job-Id')!;
  const v = await json(await get(headers, `/v1/jobs/${id}`));
  expect(v.steps.map((s: Step) => [s.name, s.status])).toEqual([
    ['probe', 'done'],
    ['transcribe', 'done'],
    ['diarize', 'skipped'],
    ['embed', 'done'],
  ]);
  // The request has one price (its minute, on transcribe); the embed step adds no ledger entry.
  expect(v.steps.find((s: Step) => s.name === 'embed').credits).toBeUndefined();
  expect(await stack.ledger.jobCharges(id)).toEqual([{ step: 'transcribe', reserved: 1, settled: 1, refunded: null }]);
  expect(v.progress).toBe(1);
  const sa = await attributesOf(id);
  expect(sa.get(SA.model)).toEqual(['base', expect.stringMatching(/minilm/i)]);
  expect([sa.get(SA.duration), sa.get(SA.language), sa.get(SA.currentStep)]).toEqual(['<1m', 'en', 'embed']);
  expect(await found(`VoxflowTenant = '${account.tenant}' AND VoxflowRecipe = 'transcribe' AND VoxflowModel = 'base' AND VoxflowDuration = '<1m'`, id)).toEqual([id]);
  record(id, 'transcribe-embed-step-shown.json');
});
