/**
 * POST /v1/generate and POST /api/v1/transcripts/:id/generate/ end to end on the real 0.5B model:
 * the API stores the text, a Temporal workflow runs the billed generate step on the gpu worker's
 * LLM, the answer is {"type", "content", "model"}. Outputs are the model's own (greedy decoding),
 * checked against their schemas and against the input (quotes verbatim, chapter starts real).
 */
import { text as readText } from 'node:stream/consumers';
import { MIN_CHAPTER_SECONDS } from '../../lib/llm/chapters';
import { CONTENT_SCHEMAS } from '../../lib/llm/generation-schemas';
import { clockTime, transcriptPromptText } from '../../lib/transcript/prompt-text';
import type { Segment, Transcript } from '../../lib/transcript/types';
import { GENERATION_TYPES, type JobResult } from '../../workflows/model';
import { textCredits } from '../../workflows/pricing';
import { textPartsPrefix } from '../../workflows/text-keys';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startJob } from '../helpers/jobs';
import { longTranscript } from '../helpers/long-transcript';
import { jfk } from '../helpers/models';
import { SECTIONS, shortMeeting } from '../helpers/planted-transcript';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(900_000);

const MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const config = testConfig({
  VOXFLOW_LLM_MODEL: MODEL,
  // One thread: jest runs two test files at once on two cores (see summarize.test.ts).
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  // The short meeting (~250 tokens) is one pass; the three-topic transcript (~900 tokens) is two chunks.
  VOXFLOW_LLM_CHUNK_TOKENS: '600',
  VOXFLOW_TEXT_MAX_CHARS: '20000',
  VOXFLOW_SYNC_WAIT_MS: '800000',
});
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

const paidKey = (credits: number) => paidKeyOn(stack, 'gen', credits);

const post = (path: string, headers: Record<string, string>, body: unknown) => postJson(stack, path, headers, body);
const generate = (headers: Record<string, string>, body: unknown) => post('/v1/generate', headers, body);

const mentions = (s: string, words: string[]) => words.filter((w) => s.toLowerCase().includes(w.toLowerCase()));

/** Three planted topics as a stored transcript would hold them: one segment per line, with its speaker and times. */
function plantedTranscript(): Transcript {
  const segments: Segment[] = [];
  let t = 0.3;
  for (const s of [SECTIONS[0], SECTIONS[1], SECTIONS[3]]) {
    for (const line of s.text.split('\n')) {
      const [, speaker, said] = /^(\w+): (.*)$/.exec(line)!;
      const end = t + Math.max(2.5, said.split(' ').length * 0.38);
      segments.push({ start: Math.round(t * 100) / 100, end: Math.round(end * 100) / 100, text: ` ${said}`, speaker, confidence: 0.9, words: [] });
      t = end + 0.6;
    }
  }
  const speakers = [...new Set(segments.map((s) => s.speaker!))];
  return { text: segments.map((s) => s.text).join(''), language: 'en', duration: t, segments, speakers, model: 'base' };
}

it('meeting_notes (a prose type) is Markdown naming the planted facts, with the model that ran, charged once', async () => {
  const { text, facts } = shortMeeting();
  const { account, headers } = await paidKey(5);
  const res = await generate(headers, { text, type: 'meeting_notes' });
  const body = await json(res);
  console.log(`meeting notes:\n${body.content}`);
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['content', 'model', 'type']);
  expect(body).toMatchObject({ type: 'meeting_notes', model: MODEL });
  expect(body.content).toMatch(/^## Attendees\n- Priya\n- Tomasz\n/);
  expect(body.content).toMatch(/^## /m);
  expect(mentions(body.content, facts).length).toBeGreaterThanOrEqual(2);
  const jobId = res.headers.get('x-job-id')!;
  expect(res.headers.get('x-model')).toBe(MODEL);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'generate', reserved: textCredits(text.length), settled: textCredits(text.length), refunded: null }]);
  expect(await stack.ledger.balance(account.id)).toBe(5 - textCredits(text.length));
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  expect(job).toMatchObject({ recipe: 'generate', status: 'succeeded', result: { text: { model: MODEL, style: 'meeting_notes', chunks: 1 } } });
  expect(await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}/result`, { headers }))).toEqual(body);
});

it('flashcards and quiz parse against their schemas and are about the text', async () => {
  const { text, facts } = shortMeeting();
  const { headers } = await paidKey(5);
  for (const type of ['flashcards', 'quiz'] as const) {
    const res = await generate(headers, { text, type });
    const body = await json(res);
    console.log(`${type}: ${JSON.stringify(body.content, null, 1)}`);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ type, model: MODEL });
    const parsed = CONTENT_SCHEMAS[type].safeParse(body.content);
    expect({ type, issues: parsed.error?.issues ?? [] }).toEqual({ type, issues: [] });
    expect(mentions(JSON.stringify(body.content), [...facts, 'Priya', 'Tomasz', 'budget', 'venue']).length).toBeGreaterThanOrEqual(1);
  }
});

it('key_quotes are real: every quote is verbatim in the input, attributed to its speaker', async () => {
  const { text } = shortMeeting();
  const { headers } = await paidKey(5);
  const res = await generate(headers, { text, type: 'key_quotes' });
  const body = await json(res);
  console.log(`key quotes: ${JSON.stringify(body.content, null, 1)}`);
  expect(res.status).toBe(200);
  expect(CONTENT_SCHEMAS.key_quotes.parse(body.content).length).toBeGreaterThanOrEqual(1);
  for (const q of body.content as Array<{ quote: string; speaker?: string }>) {
    expect({ quote: q.quote, verbatim: text.includes(q.quote) }).toEqual({ quote: q.quote, verbatim: true });
    // The speaker is the one whose line holds the quote.
    expect(text.split('\n').find((l) => l.includes(q.quote))).toMatch(new RegExp(`^${q.speaker}: `));
  }
});

describe('on a stored transcript', () => {
  let owner: Awaited<ReturnType<typeof paidKey>>;
  let id: string;
  let transcriptKey: string;
  const planted = plantedTranscript();
  const putTranscript = (t: Transcript) => stack.store.put(transcriptKey, Buffer.from(JSON.stringify(t)), { contentType: 'application/json' });

  beforeAll(async () => {
    owner = await paidKey(10);
    // A real transcription job owns the transcript; its stored document is then the planted meeting.
    const { jobId, handle } = await startJob(stack.client, config, stack.store, jfk().wav, 'transcribe', owner.account.tenant);
    const result = (await handle.result()) as JobResult;
    id = jobId;
    transcriptKey = result.outputs.find((o) => o.kind === 'transcript')!.key;
    await putTranscript(planted);
  }, 300_000);

  it('chapter_markers start on real segment starts, strictly increasing from the first segment, over chunks kept in storage', async () => {
    const res = await post(`/api/v1/transcripts/${id}/generate/`, owner.headers, { type: 'chapter_markers' });
    const body = await json(res);
    console.log(`chapters: ${JSON.stringify(body.content)}`);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ type: 'chapter_markers', model: MODEL });
    const chapters = CONTENT_SCHEMAS.chapter_markers.parse(body.content);
    const starts = new Set(planted.segments.map((s) => Math.floor(s.start)));
    for (const c of chapters) {
      expect({ c, real: starts.has(c.start) }).toEqual({ c, real: true });
      expect(c.time).toBe(clockTime(c.start));
    }
    expect(chapters[0].start).toBe(Math.floor(planted.segments[0].start));
    for (let i = 1; i < chapters.length; i++) expect(chapters[i].start - chapters[i - 1].start).toBeGreaterThanOrEqual(MIN_CHAPTER_SECONDS);
    expect(chapters.length).toBeGreaterThanOrEqual(2);
    const jobId = res.headers.get('x-job-id')!;
    const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers: owner.headers }));
    expect(job.result.text.chunks).toBeGreaterThanOrEqual(2);
    const parts: string[] = [];
    for await (const o of stack.store.list(textPartsPrefix(jobId, 'generate'))) parts.push(o.key);
    expect(parts.filter((k) => /\/part-\d{5}\.json$/.test(k))).toHaveLength(job.result.text.chunks);
    // Each chunk's own chapters, already on real starts: what a retried step resumes from.
    for (const k of parts) {
      const stored = JSON.parse(await readText(await stack.store.get(k))) as Array<{ start: number }>;
      expect(stored.every((c) => starts.has(c.start))).toBe(true);
    }
    // Priced on the rendered transcript the step read, charged once.
    const chars = [...transcriptPromptText(planted)].length;
    expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'generate', reserved: textCredits(chars), settled: textCredits(chars), refunded: null }]);
  });

  it('another tenant, an unknown id and no key get 404/401; bad bodies 400; an oversized transcript 413; none costs a credit', async () => {
    const other = await paidKey(3);
    const before = await stack.ledger.balance(owner.account.id);
    const cases: Array<[string, Record<string, string>, unknown, number, RegExp]> = [
      [id, other.headers, { type: 'quiz' }, 404, /not found/i],
      ['job_00000000000000000000000000000000', owner.headers, { type: 'quiz' }, 404, /not found/i],
      ['not-a-job', owner.headers, { type: 'quiz' }, 404, /not found/],
      [id, { 'Content-Type': 'application/json' }, { type: 'quiz' }, 401, /API key/],
      [id, owner.headers, {}, 400, /`type` is required\. Valid values: blog_post, social_media, newsletter, key_quotes, show_notes, meeting_notes, study_guide, flashcards, quiz, chapter_markers\./],
      [id, owner.headers, { type: 'haiku' }, 400, /Unknown type 'haiku'\. Valid values: blog_post, .*chapter_markers\./],
      [id, owner.headers, '{"type": ', 400, /not valid JSON/],
    ];
    for (const [tid, headers, body, status, message] of cases) {
      const res = await post(`/api/v1/transcripts/${tid}/generate/`, headers, body);
      const got = await json(res);
      expect({ tid, body, status: res.status, error: got.error }).toEqual({ tid, body, status, error: expect.stringMatching(message) });
    }
    try {
      await putTranscript(longTranscript(1)); // ~60,000 characters rendered, over VOXFLOW_TEXT_MAX_CHARS
      const big = await post(`/api/v1/transcripts/${id}/generate/`, owner.headers, { type: 'blog_post' });
      expect(big.status).toBe(413);
      expect((await json(big)).error).toMatch(/over the 20,000 the text steps take/);
    } finally {
      await putTranscript(planted);
    }
    expect(await stack.ledger.balance(owner.account.id)).toBe(before);
    expect(await stack.ledger.balance(other.account.id)).toBe(3);
  });
});

it('POST /v1/generate: bad input is 400 naming the valid types, an oversized text 413, non-JSON 415; none starts a job or costs a credit', async () => {
  const { account, headers } = await paidKey(3);
  const valid = GENERATION_TYPES.join(', ');
  const cases: Array<[unknown, number, RegExp]> = [
    ['{"text": ', 400, /not valid JSON/],
    ['[1, 2]', 400, /JSON object/],
    [{}, 400, /`text` is required/],
    [{ type: 'quiz' }, 400, /`text` is required/],
    [{ text: '  \n ', type: 'quiz' }, 400, /`text` is empty/],
    [{ text: 42, type: 'quiz' }, 400, /`text` must be a string/],
    [{ text: 'hello' }, 400, new RegExp(`\`type\` is required\\. Valid values: ${valid}\\.`)],
    [{ text: 'hello', type: 'haiku' }, 400, new RegExp(`Unknown type 'haiku'\\. Valid values: ${valid}\\.`)],
    [{ text: 'hello', type: ['quiz'] }, 400, new RegExp(`Valid values: ${valid}`)],
    [{ text: shortMeeting().text, type: 'chapter_markers' }, 400, /chapter_markers needs timestamps/],
    [{ text: 'x'.repeat(20_001), type: 'quiz' }, 413, /longer than 20,000 characters/],
  ];
  for (const [body, status, message] of cases) {
    const res = await generate(headers, body);
    const got = await json(res);
    expect({ body: String(JSON.stringify(body)).slice(0, 40), status: res.status, error: got.error }).toEqual({ body: String(JSON.stringify(body)).slice(0, 40), status, error: expect.stringMatching(message) });
  }
  expect((await json(await generate(headers, { text: 'hello', type: 'haiku' }))).valid).toEqual([...GENERATION_TYPES]);
  const plain = await fetch(`${stack.baseUrl}/v1/generate`, { method: 'POST', headers: { Authorization: headers.Authorization, 'Content-Type': 'text/plain' }, body: 'write a blog post' });
  expect(plain.status).toBe(415);
  expect(await json(plain)).toHaveProperty('error');
  expect(await stack.ledger.balance(account.id)).toBe(3);
});
