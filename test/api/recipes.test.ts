/**
 * POST /v1/jobs end to end on the real models: a `subtitles-es` preset on spoken English (Whisper
 * base → Apertium en→es segment by segment → SRT/VTT), a text recipe (Apertium translation and a
 * 0.5B summary: one LLM generation), a cancelled recipe whose reservation is refunded, and the
 * validation 400s the API answers before anything is stored or charged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { textCredits } from '../../workflows/pricing';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { longNoisyAudio, speechWav } from '../helpers/media';
import { flakyStore } from '../helpers/flaky-store';
import { createStore } from '../../lib/storage';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(600_000);

const config = testConfig({
  VOXFLOW_LLM_MODEL: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  VOXFLOW_LLM_CHUNK_TOKENS: '1024',
});

let stack: Stack;
let dir: string;
// Real storage whose next job-output writes can be made to fail (a step's activity is then retried).
const flaky = flakyStore(createStore(config));
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipes-'));
  stack = await startStack(config, { api: true, store: flaky.store });
});
afterAll(() => stack?.stop());

const get = (headers: Record<string, string>, p: string) => fetch(`${stack.baseUrl}${p}`, { headers: { Authorization: headers.Authorization } });
const upload = (headers: Record<string, string>, file: string, fields: Record<string, string>) =>
  fetch(`${stack.baseUrl}/v1/jobs?async=true`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(file, fields) });
const finished = (headers: Record<string, string>, id: string, ms = 400_000) =>
  until(async () => {
    const v = await json(await get(headers, `/v1/jobs/${id}`));
    return ['succeeded', 'failed', 'cancelled'].includes(v.status) && v;
  }, ms, 500);

it('runs the subtitles-es preset: transcript, Spanish translation per segment, SRT and VTT, one price per step', async () => {
  const { account, headers } = await paidKeyOn(stack, 'recipe', 100);
  const wav = speechWav(dir, 'The meeting is on Monday. We will talk about the new house.', 'meeting.wav');
  const res = await upload(headers, wav, { preset: 'subtitles-es' });
  expect(res.status).toBe(202);
  const { id, recipe } = await json(res);
  expect(recipe).toBe('recipe');
  const v = await finished(headers, id);
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
    ['probe', 'done'],
    ['transcribe', 'done'],
    ['translate', 'done'],
    ['format', 'done'],
  ]);
  const step = (name: string) => v.steps.find((s: { name: string }) => s.name === name);
  // Under a minute of audio: 1 credit for the transcription; the translation's per-4,000-chars price on the segments it got.
  expect(step('transcribe').credits).toEqual({ reserved: 1, charged: 1 });
  expect(step('translate').credits).toEqual({ reserved: 1, charged: 1 });
  expect(step('format').credits).toBeUndefined();
  expect((await stack.ledger.balance(account.id))).toBe(98);
  for (const s of ['transcribe', 'translate', 'format']) expect(step(s).result_url).toBe(`/v1/jobs/${id}/result?step=${s}`);
  for (const s of ['probe', 'transcribe', 'translate', 'format']) expect(step(s).attempts).toBe(1);

  const transcript = await json(await get(headers, `/v1/jobs/${id}/result?step=transcribe`));
  expect(transcript.language).toBe('en');
  expect(transcript.text.toLowerCase()).toContain('monday');
  const translation = await json(await get(headers, `/v1/jobs/${id}/result?step=translate`));
  expect(translation.engine).toBe('apertium');
  expect(translation.translations).toHaveLength(transcript.segments.length);
  const srt = await get(headers, `/v1/jobs/${id}/result?step=format&format=srt`);
  expect(srt.headers.get('content-type')).toMatch(/subrip/);
  const srtText = await srt.text();
  expect(srtText).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:\d\d,\d{3}\n/);
  expect(srtText.toLowerCase()).toMatch(/lunes/);
  expect(srtText.toLowerCase()).not.toMatch(/monday/);
  const vtt = await (await get(headers, `/v1/jobs/${id}/result?step=format&format=vtt`)).text();
  expect(vtt.startsWith('WEBVTT')).toBe(true);
  expect(vtt.toLowerCase()).toMatch(/lunes/);
  // Both files are in storage too, beside the translated transcript.
  expect(v.result.outputs.filter((o: { step: string }) => o.step === 'format').map((o: { key: string }) => o.key.split('/').pop())).toEqual(['subtitles.json', 'subtitles.srt', 'subtitles.vtt']);
  const none = await get(headers, `/v1/jobs/${id}/result?step=summarize`);
  expect(none.status).toBe(404);
  expect((await json(none)).error).toMatch(/Steps with a result: transcribe, translate, format/);
});

it('runs a text recipe: translate (retried once) then summarize, each billed once on the text it got', async () => {
  const { account, headers } = await paidKeyOn(stack, 'recipe', 100);
  const text = 'Anna will send the budget to Peter on Friday. The new office opens in Madrid in March.';
  // The translate step's first write fails: its activity is retried, and the job view says so.
  flaky.failures.next = 1;
  const res = await postJson(stack, '/v1/jobs?async=true', headers, { text, steps: [{ step: 'translate', target: 'es' }, { step: 'summarize', style: 'brief' }] });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await finished(headers, id);
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: { name: string; attempts: number }) => [s.name, s.attempts])).toEqual([
    ['translate', 2],
    ['summarize', 1],
  ]);
  for (const s of v.steps) expect(s.credits).toEqual({ reserved: textCredits(text.length), charged: textCredits(text.length) });
  expect((await stack.ledger.balance(account.id))).toBe(100 - 2 * textCredits(text.length));
  const tr = await json(await get(headers, `/v1/jobs/${id}/result?step=translate`));
  expect(tr.translations[0].toLowerCase()).toMatch(/viernes/);
  const summary = await json(await get(headers, `/v1/jobs/${id}/result?step=summarize`));
  expect(summary.model).toBe('qwen2.5-coder-0.5b-instruct-q4_k_m');
  expect(summary.summary.toLowerCase()).toMatch(/budget|madrid|office|anna|peter/);
});

/** The local activities a job's history recorded, in order (markers; their activity type is in the marker's data). */
async function localActivities(id: string): Promise<string[]> {
  const events = (await stack.client.workflow.getHandle(id).fetchHistory()).events ?? [];
  return events.flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data : undefined;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type] : [];
  });
}

const jobEntries = async (id: string) =>
  (await stack.db.all<{ step: string; kind: string; amount: number }>('SELECT step, kind, amount FROM ledger_entries WHERE job_id = ? ORDER BY kind', [id])).map((e) => ({ ...e, amount: Number(e.amount) }));
const jobSlots = async (id: string) => Number((await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_slots WHERE job_id = ?', [id]))?.n ?? 0);

it('runs a text embed recipe on two local activities (units with their reservation, the settlement with the slot), billed once; the synchronous answer is the job view', async () => {
  const { account, headers } = await paidKeyOn(stack, 'recipe-embed', 100);
  const res = await postJson(stack, '/v1/jobs', headers, { text: 'Anna will send the budget to Peter on Friday.\n\nThe new office opens in Madrid in March.', steps: ['embed'] });
  expect(res.status).toBe(200);
  const v = await json(res);
  expect(v.status).toBe('succeeded');
  expect(v.steps).toEqual([expect.objectContaining({ name: 'embed', status: 'done', attempts: 1, credits: { reserved: 1, charged: 1 }, result_url: `/v1/jobs/${v.id}/result?step=embed` })]);
  // The answer built from one history read is the view GET /v1/jobs/:id builds from describe + history.
  expect(await json(await get(headers, `/v1/jobs/${v.id}`))).toEqual(v);
  expect(await localActivities(v.id)).toEqual(['recipeTextUnitsReserved', 'settleCreditsAndReleaseSlot']);
  expect(await jobEntries(v.id)).toEqual([{ step: 'embed', kind: 'reserve', amount: 1 }, { step: 'embed', kind: 'settle', amount: 1 }]);
  expect(await jobSlots(v.id)).toBe(0);
  expect(await stack.ledger.balance(account.id)).toBe(99);
  const vectors = await json(await get(headers, `/v1/jobs/${v.id}/result?step=embed`));
  expect(JSON.stringify(vectors)).toMatch(/Madrid/);
});

it('fails the embed step whose reservation is refused: InsufficientCredits in one attempt, nothing charged, the slot given back', async () => {
  // Over 4,000 characters: 2 credits, and the account has 1 (enough to be admitted).
  const { account, headers } = await paidKeyOn(stack, 'recipe-embed-poor', 1);
  const res = await postJson(stack, '/v1/jobs?async=true', headers, { text: 'The budget goes to Peter on Friday. '.repeat(120), steps: ['embed'] });
  expect(res.status).toBe(202);
  const v = await finished(headers, (await json(res)).id, 120_000);
  expect(v.status).toBe('failed');
  expect(v.error.type).toBe('InsufficientCredits');
  expect(v.steps).toEqual([expect.objectContaining({ name: 'embed', status: 'failed', attempts: 1 })]);
  expect(v.steps[0].credits).toBeUndefined();
  expect(await localActivities(v.id)).toEqual(expect.arrayContaining(['recipeTextUnitsReserved', 'releaseJobSlot']));
  expect(await jobEntries(v.id)).toEqual([]);
  expect(await jobSlots(v.id)).toBe(0);
  expect(await stack.ledger.balance(account.id)).toBe(1);
});

it('runs steps on a stored transcript (transcript_id): Spanish subtitles at its own times, the transcript left as it was', async () => {
  const { headers } = await paidKeyOn(stack, 'recipe', 100);
  const wav = speechWav(dir, 'Thank you for coming. See you on Friday.', 'thanks.wav');
  const tr = await fetch(`${stack.baseUrl}/v1/transcribe`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(wav, { diarize: 'false' }) });
  expect(tr.status).toBe(200);
  const transcriptId = tr.headers.get('X-Job-Id')!;
  const source = await json(tr);
  const res = await postJson(stack, '/v1/jobs?async=true', headers, { transcript_id: transcriptId, steps: [{ step: 'translate', target: 'es' }, 'format'] });
  expect(res.status).toBe(202);
  const v = await finished(headers, (await json(res)).id);
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: { name: string }) => s.name)).toEqual(['translate', 'format']);
  const subs = await json(await get(headers, `/v1/jobs/${v.id}/result?step=format`));
  expect(subs.language).toBe('es');
  expect(subs.segments.map((s: { start: number }) => s.start)).toEqual(source.segments.map((s: { start: number }) => s.start));
  expect(subs.text.toLowerCase()).toMatch(/viernes/);
  // The other job's transcript is read, never changed or deleted.
  expect(await json(await get(headers, `/v1/jobs/${transcriptId}/result`))).toEqual(source);
});

it('refunds the running step of a cancelled recipe and charges nothing after it', async () => {
  const { account, headers } = await paidKeyOn(stack, 'recipe', 100);
  const long = longNoisyAudio(dir, 150, 'long.wav');
  const res = await upload(headers, long, { steps: JSON.stringify([{ step: 'transcribe', diarize: true }, { step: 'summarize' }]) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  await until(async () => {
    const v = await json(await get(headers, `/v1/jobs/${id}`));
    return v.steps.find((s: { name: string }) => s.name === 'transcribe')?.status === 'running' && v;
  }, 120_000, 200);
  // 150 s: 3 credits reserved for the request (transcribe + diarize priced once).
  await until(async () => (await stack.ledger.balance(account.id)) === 97, 30_000);
  const cancel = await fetch(`${stack.baseUrl}/v1/jobs/${id}/cancel`, { method: 'POST', headers: { Authorization: headers.Authorization } });
  expect(cancel.status).toBe(202);
  const v = await finished(headers, id, 120_000);
  expect(v.status).toBe('cancelled');
  const step = (name: string) => v.steps.find((s: { name: string }) => s.name === name);
  expect(step('transcribe')).toMatchObject({ status: 'failed', credits: { reserved: 3, refunded: 3 } });
  expect(step('diarize').status).toBe('pending');
  expect(step('summarize').status).toBe('pending');
  expect((await stack.ledger.balance(account.id))).toBe(100);
});

describe('validation before anything runs', () => {
  const bad = async (res: Response, status: number, pattern: RegExp) => {
    expect(res.status).toBe(status);
    const body = await json(res);
    expect(body.error).toMatch(pattern);
    return body;
  };

  it('names the first step that cannot run, and why', async () => {
    const { account, headers } = await paidKeyOn(stack, 'recipe', 100);
    const uploads = async () => {
      const keys: string[] = [];
      for await (const o of stack.store.list('uploads/')) keys.push(o.key);
      return keys.length;
    };
    const before = await uploads();
    let b = await bad(await postJson(stack, '/v1/jobs', headers, { text: 'Hello.', steps: [{ step: 'summarize' }, { step: 'diarize' }] }), 400, /step 2 \(diarize\) cannot run: it needs media and transcript/);
    expect(b).toMatchObject({ code: 'step_cannot_run', step: 1 });
    b = await bad(await postJson(stack, '/v1/jobs', headers, { text: 'Hello.', preset: 'meeting' }), 400, /Preset meeting: step 1 \(transcribe\) cannot run: it needs media/);
    const wav = speechWav(dir, 'Hello.', 'hello.wav');
    await bad(await upload(headers, wav, { steps: JSON.stringify([{ step: 'summarize', style: 'haiku' }]) }), 400, /cannot run: it needs text, and text is neither in the input \(an uploaded file\)/);
    await bad(await upload(headers, wav, { steps: JSON.stringify(['transcribe', { step: 'summarize', style: 'haiku' }]) }), 400, /step 2 \(summarize\): unknown style 'haiku'. Valid values: brief/);
    await bad(await upload(headers, wav, { steps: '[{"step": "transcribe"' }), 400, /`steps` is not valid JSON/);
    await bad(await upload(headers, wav, { preset: 'subtitles-tlh' }), 400, /nothing on this server translates into 'tlh'/);
    await bad(await upload(headers, wav, {}), 400, /Send either `steps` .* or `preset`/);
    await bad(await postJson(stack, '/v1/jobs', headers, { steps: ['summarize'] }), 400, /Send either `text` or `transcript_id`/);
    await bad(await postJson(stack, '/v1/jobs', headers, { text: 'Hi.', preset: 'podcast' }), 400, /Unknown preset 'podcast'. Presets: meeting, subtitles-<lang>/);
    await bad(await postJson(stack, '/v1/jobs', headers, { transcript_id: 'job_00000000000000000000000000000000', steps: ['summarize'] }), 404, /Transcript not found/);
    // Nothing was charged or left in storage by any of these.
    expect((await stack.ledger.balance(account.id))).toBe(100);
    expect(await uploads()).toBe(before);
  });
});
