/**
 * POST /v1/summarize end to end on the real 0.5B model (scripts/models/install-llm.sh 0.5b): the
 * API stores the text, a Temporal workflow runs the billed summarize step on the gpu worker's
 * LLM, the answer is the contract's {"summary", "style", "model"}. Outputs are the model's own
 * (greedy decoding), checked for the facts and action items planted in the transcripts.
 */
import { text as readText } from 'node:stream/consumers';
import { SUMMARY_STYLES } from '../../workflows/model';
import { summarizePartsPrefix } from '../../workflows/text-keys';
import { textCredits } from '../../workflows/pricing';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { SECTIONS, longMeeting, shortMeeting } from '../helpers/planted-transcript';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(600_000);

const MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const config = testConfig({
  VOXFLOW_LLM_MODEL: MODEL,
  // One thread: jest runs two test files at once on two cores, and llama.cpp's spinning threads
  // lose badly on an oversubscribed CPU (measured 5x).
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  // Small chunks so the ~900-token long meeting takes the map-reduce path (the short one does not).
  VOXFLOW_LLM_CHUNK_TOKENS: '400',
  VOXFLOW_TEXT_MAX_CHARS: '20000',
  VOXFLOW_SYNC_WAIT_MS: '500000',
});
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

const paidKey = (credits: number) => paidKeyOn(stack, 'sum', credits);

const summarize = (headers: Record<string, string>, body: unknown) => postJson(stack, '/v1/summarize', headers, body);

const mentions = (summary: string, words: string[]) => words.filter((w) => summary.toLowerCase().includes(w.toLowerCase()));

it('GET /v1/models lists the LLMs beside the ASR models, every entry typed, installed flags honest', async () => {
  const body = await json(await fetch(`${stack.baseUrl}/v1/models`));
  for (const m of body.models) expect(['asr', 'llm', 'embedding', 'tts', 'denoiser']).toContain(m.type);
  const llms = body.models.filter((m: { type: string }) => m.type === 'llm');
  expect(llms.map((m: { id: string }) => m.id)).toEqual(['qwen2.5-coder-1.5b-instruct-q4_k_m', MODEL]);
  expect(llms.find((m: { id: string }) => m.id === MODEL)).toMatchObject({ installed: true, parameters: '0.5B', quantization: 'Q4_K_M' });
});

it('a brief summary (the default style) names the planted facts and the model that ran, and is charged once', async () => {
  const { text, facts } = shortMeeting();
  const { account, headers } = await paidKey(5);
  const started = Date.now();
  const res = await summarize(headers, { text });
  const body = await json(res);
  console.log(`brief summary of ${text.split(/\s+/).length} words in ${Date.now() - started} ms: ${body.summary}`);
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['model', 'style', 'summary']);
  expect(body).toMatchObject({ style: 'brief', model: MODEL });
  expect(mentions(body.summary, ['Priya', 'Tomasz'])).toHaveLength(2);
  expect(mentions(body.summary, facts).length).toBeGreaterThanOrEqual(2);
  // Charged once: one summarize line, settled at the documented price (1 credit per started 4,000 characters).
  const jobId = res.headers.get('x-job-id')!;
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'summarize', reserved: textCredits(text.length), settled: textCredits(text.length), refunded: null }]);
  expect(await stack.ledger.balance(account.id)).toBe(5 - textCredits(text.length));
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  expect(job).toMatchObject({ recipe: 'summarize', status: 'succeeded', result: { text: { model: MODEL, style: 'brief', chunks: 1 } } });
  // The job's result download is the same document.
  const stored = await fetch(`${stack.baseUrl}/v1/jobs/${jobId}/result`, { headers });
  expect(stored.headers.get('content-type')).toMatch(/application\/json/);
  expect(await json(stored)).toEqual(body);
});

it('action_items returns the planted action items', async () => {
  const sections = [SECTIONS[0], SECTIONS[4]];
  const { headers } = await paidKey(5);
  const res = await summarize(headers, { text: sections.map((s) => s.text).join('\n'), style: 'action_items' });
  const body = await json(res);
  console.log(`action items:\n${body.summary}`);
  expect(res.status).toBe(200);
  expect(body).toMatchObject({ style: 'action_items', model: MODEL });
  const lines = body.summary.split('\n').filter((l: string) => l.startsWith('- '));
  for (const { owner, task } of sections.flatMap((s) => s.actions)) {
    // Every planted task is on a line of the list, and its owner is named in the list.
    expect({ task, found: lines.some((l: string) => l.toLowerCase().includes(task.toLowerCase())) }).toEqual({ task, found: true });
    expect({ owner, found: body.summary.includes(owner) }).toEqual({ owner, found: true });
  }
});

it('a transcript longer than the chunk budget is summarized map-reduce, chunk summaries in storage and not in history', async () => {
  const { text, sections } = longMeeting();
  const { headers } = await paidKey(5);
  const res = await summarize(headers, { text, style: 'bullet_points' });
  const body = await json(res);
  console.log(`map-reduce bullet points:\n${body.summary}`);
  expect(res.status).toBe(200);
  const jobId = res.headers.get('x-job-id')!;
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  const chunks: number = job.result.text.chunks;
  expect(chunks).toBeGreaterThanOrEqual(3);
  const stored: string[] = [];
  for await (const o of stack.store.list(summarizePartsPrefix(jobId))) stored.push(o.key);
  const chunkKeys = stored.filter((k) => /\/chunk-\d{5}\.txt$/.test(k));
  expect(chunkKeys).toHaveLength(chunks);
  for (const k of chunkKeys) expect((await readText(await stack.store.get(k))).length).toBeGreaterThan(20);
  // Claim check: neither the text nor the chunk summaries travel through workflow history.
  const history = JSON.stringify(await stack.client.workflow.getHandle(jobId).fetchHistory());
  expect(history).not.toContain('called me twice about it');
  expect(history).not.toContain((await readText(await stack.store.get(chunkKeys[0]))).slice(0, 60));
  // The final summary carries facts from across the whole meeting, not just its first chunk.
  const covered = sections.filter((s) => mentions(body.summary, s.facts).length > 0);
  expect(covered.length).toBeGreaterThanOrEqual(3);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'summarize', reserved: textCredits(text.length), settled: textCredits(text.length), refunded: null }]);
});

it('bad input is 400 (valid values named), an oversized text 413, non-JSON 415; none of them starts a job or costs a credit', async () => {
  const { account, headers } = await paidKey(3);
  const cases: Array<[unknown, number, RegExp]> = [
    ['{"text": ', 400, /not valid JSON/],
    ['[1, 2]', 400, /JSON object/],
    ['"just a string"', 400, /JSON/],
    [{}, 400, /`text` is required/],
    [{ style: 'brief' }, 400, /`text` is required/],
    [{ text: '   ' }, 400, /`text` is empty/],
    [{ text: 42 }, 400, /`text` must be a string/],
    [{ text: 'hello', style: 'haiku' }, 400, /Unknown style 'haiku'\. Valid values: brief, detailed, action_items, bullet_points\./],
    [{ text: 'hello', style: ['brief'] }, 400, /Valid values: brief, detailed, action_items, bullet_points/],
    [{ text: 'x'.repeat(20_001) }, 413, /longer than 20,000 characters/],
  ];
  for (const [body, status, message] of cases) {
    const res = await summarize(headers, body);
    const got = await json(res);
    expect({ body: String(JSON.stringify(body)).slice(0, 40), status: res.status, error: got.error }).toEqual({ body: String(JSON.stringify(body)).slice(0, 40), status, error: expect.stringMatching(message) });
  }
  const unknown = await json(await summarize(headers, { text: 'hello', style: 'haiku' }));
  expect(unknown.valid).toEqual([...SUMMARY_STYLES]);
  const empty = await fetch(`${stack.baseUrl}/v1/summarize`, { method: 'POST', headers: { Authorization: headers.Authorization } });
  expect(empty.status).toBe(400);
  const form = await fetch(`${stack.baseUrl}/v1/summarize`, { method: 'POST', headers: { Authorization: headers.Authorization, 'Content-Type': 'text/plain' }, body: 'summarize this' });
  expect(form.status).toBe(415);
  expect(await json(form)).toHaveProperty('error');
  expect(await stack.ledger.balance(account.id)).toBe(3);
});
