/**
 * POST /v1/analyze and /api/v1/transcripts/:id/analyze/ end to end on the real 0.5B model: the
 * API stores the text, a Temporal workflow runs the billed analyze step on the gpu worker's LLM,
 * the answer is {"type", "result", "model"}. Results are the model's own (greedy decoding, with
 * the deterministic rules and checks of lib/llm/analysis-*.ts and lib/pii), checked for the people,
 * places, action items and PII planted in the texts, and against each type's result schema.
 */
import { text as readText } from 'node:stream/consumers';
import { RESULT_SCHEMAS, schemaErrors } from '../../lib/llm/analysis-schemas';
import type { Transcript } from '../../lib/transcript/types';
import { ANALYSIS_TYPES, type AnalysisType, type JobResult } from '../../workflows/model';
import { textCredits } from '../../workflows/pricing';
import { textPartsPrefix } from '../../workflows/text-keys';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startJob } from '../helpers/jobs';
import { jfk } from '../helpers/models';
import { SECTIONS, longMeeting } from '../helpers/planted-transcript';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(900_000);

const MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const config = testConfig({
  VOXFLOW_LLM_MODEL: MODEL,
  // One thread: jest runs two files at once on two cores (see summarize.test.ts).
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  VOXFLOW_LLM_CHUNK_TOKENS: '400',
  VOXFLOW_TEXT_MAX_CHARS: '20000',
  VOXFLOW_SYNC_WAIT_MS: '800000',
});
let stack: Stack;

/** PII planted in a short call; the rules alone must remove every one of the rule-covered items. */
const PII = {
  emails: ['helena.okafor@bluewater-hotels.com', 'billing@example.org'],
  phones: ['+44 20 7946 0958', '(415) 555-0132', '030 12345678'],
  cards: ['4111 1111 1111 1111', '5500-0000-0000-0004'],
  ibans: ['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432'],
  kept: ['1,200 dollars', 'March 14', '2024', '10:30'],
};
const PII_TEXT = `Priya: Before we close, the contact details. Helena Okafor can be reached at ${PII.emails[0]} or on ${PII.phones[0]}.
Tomasz: Her assistant gave me ${PII.phones[1]} as a backup, and the Berlin office is ${PII.phones[2]}.
Priya: The refund of 1,200 dollars goes to IBAN ${PII.ibans[0]}; the old account was ${PII.ibans[1]}.
Tomasz: The card that was double charged is ${PII.cards[0]}, and the corporate card ${PII.cards[1]} stays as it is.
Priya: Send the receipts to ${PII.emails[1]} before March 14. We said 10:30 in 2024 as well.`;

/** People and places planted in a short meeting (a person and a place who are not speakers among them). */
const ENTITY_TEXT = `Priya: We agreed to hold the offsite in Lisbon this year, from March 14 to March 16.
Tomasz: Good. Helena Okafor from Bluewater Hotels confirmed the venue, and the budget is 48,000 euros.
Priya: Then I will book the flights today.`;
const PEOPLE = ['Priya', 'Tomasz', 'Helena Okafor'];
const PLACES = ['Lisbon'];

/** Segments of a stored transcript (diarized: generic speaker labels), with questions at known times. */
const SEGMENTS: Array<[number, string, string]> = [
  [0, 'Speaker 1', 'Welcome back. Did everyone get the agenda for the Lisbon offsite?'],
  [6.4, 'Speaker 2', 'Yes, it arrived this morning and it looks good.'],
  [12.8, 'Speaker 1', 'Great. What is the total budget for the venue?'],
  [19.2, 'Speaker 2', 'The total budget is 48,000 euros, which covers the venue and two dinners.'],
  [75.5, 'Speaker 2', 'Who will book the flights for the team?'],
  [81.0, 'Speaker 1', 'Let us decide that next week.'],
];

beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

const paidKey = (credits: number) => paidKeyOn(stack, 'ana', credits);

const post = (path: string, headers: Record<string, string>, body: unknown) => postJson(stack, path, headers, body);
const analyze = (headers: Record<string, string>, body: unknown) => post('/v1/analyze', headers, body);

/** Every type's result is checked against its schema, whichever test produced it. */
const seen = new Map<AnalysisType, unknown>();
async function analyzed(res: Response, type: AnalysisType) {
  const body = await json(res);
  console.log(`${type}: ${JSON.stringify(body.result)}`);
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['model', 'result', 'type']);
  expect(body).toMatchObject({ type, model: MODEL });
  expect(schemaErrors(body.result, RESULT_SCHEMAS[type])).toEqual([]);
  seen.set(type, body.result);
  return body.result;
}

it('entities finds the planted people and places (only text that occurs), charged once', async () => {
  const { account, headers } = await paidKey(5);
  const res = await analyze(headers, { text: ENTITY_TEXT, type: 'entities' });
  const result: Array<{ text: string; type: string; mentions: number }> = await analyzed(res, 'entities');
  for (const name of PEOPLE) expect({ name, type: result.find((e) => e.text === name)?.type }).toEqual({ name, type: 'person' });
  for (const name of PLACES) expect({ name, type: result.find((e) => e.text === name)?.type }).toEqual({ name, type: 'place' });
  for (const e of result) expect({ e, occurs: ENTITY_TEXT.toLowerCase().includes(e.text.toLowerCase()) }).toEqual({ e, occurs: true });
  expect(result.find((e) => e.text === 'Priya')?.mentions).toBe(2);
  const jobId = res.headers.get('x-job-id')!;
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'analyze', reserved: textCredits(ENTITY_TEXT.length), settled: textCredits(ENTITY_TEXT.length), refunded: null }]);
  expect(await stack.ledger.balance(account.id)).toBe(5 - textCredits(ENTITY_TEXT.length));
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  expect(job).toMatchObject({ recipe: 'analyze', status: 'succeeded', result: { text: { model: MODEL, style: 'entities', chunks: 1 } } });
});

it('action_items returns every planted action item (owner and task) of a long meeting, in chunks kept in storage', async () => {
  const { text, sections } = longMeeting();
  const { headers } = await paidKey(5);
  const res = await analyze(headers, { text, type: 'action_items' });
  const items: Array<{ owner: string | null; task: string; due: string | null }> = await analyzed(res, 'action_items');
  for (const { owner, task } of sections.flatMap((s) => s.actions)) {
    const found = items.some((i) => i.owner === owner && i.task.toLowerCase().includes(task.toLowerCase()));
    expect({ owner, task, found }).toEqual({ owner, task, found: true });
  }
  // A deadline is one the meeting said.
  for (const i of items) if (i.due) expect(text.toLowerCase()).toContain(i.due.toLowerCase());
  const jobId = res.headers.get('x-job-id')!;
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  const chunks: number = job.result.text.chunks;
  expect(chunks).toBeGreaterThanOrEqual(2);
  const parts: string[] = [];
  for await (const o of stack.store.list(textPartsPrefix(jobId, 'analyze'))) parts.push(o.key);
  expect(parts).toHaveLength(chunks);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'analyze', reserved: textCredits(text.length), settled: textCredits(text.length), refunded: null }]);
});

it('pii_redact leaves none of the planted emails, phones, cards or IBANs; offsets point into the original text', async () => {
  const { headers } = await paidKey(5);
  const result: { redacted_text: string; redactions: Array<{ type: string; start: number; end: number; text: string }> } = await analyzed(
    await analyze(headers, { text: PII_TEXT, type: 'pii_redact' }),
    'pii_redact',
  );
  for (const item of [...PII.emails, ...PII.phones, ...PII.cards, ...PII.ibans]) expect({ item, left: result.redacted_text.includes(item) }).toEqual({ item, left: false });
  // Every digit run of them is gone too (no partial redaction).
  for (const item of [...PII.phones, ...PII.cards, ...PII.ibans]) expect(result.redacted_text).not.toContain(item.replace(/\D/g, '').slice(-6));
  for (const kept of PII.kept) expect(result.redacted_text).toContain(kept);
  for (const token of ['[EMAIL]', '[PHONE]', '[CARD]', '[IBAN]', '[PERSON]']) expect(result.redacted_text).toContain(token);
  const cps = [...PII_TEXT];
  for (const r of result.redactions) expect(cps.slice(r.start, r.end).join('')).toBe(r.text);
  expect(result.redactions.filter((r) => r.type === 'phone').map((r) => r.text)).toEqual(PII.phones);
  expect(result.redactions.filter((r) => r.type === 'card').map((r) => r.text)).toEqual(PII.cards);
});

it('sentiment and topics parse against their schemas; sentiment names each speaker', async () => {
  const { headers } = await paidKey(5);
  const text = SECTIONS[3].text;
  const sentiment: { speakers: Array<{ speaker: string }> } = await analyzed(await analyze(headers, { text, type: 'sentiment' }), 'sentiment');
  expect(sentiment.speakers.map((s) => s.speaker)).toEqual(['Marcus', 'Tomasz']);
  const topics: Array<{ topic: string }> = await analyzed(await analyze(headers, { text, type: 'topics' }), 'topics');
  expect(topics.length).toBeGreaterThanOrEqual(1);
});

describe('on a stored transcript', () => {
  let owner: Awaited<ReturnType<typeof paidKey>>;
  let transcriptId: string;
  beforeAll(async () => {
    owner = await paidKey(5);
    // A real transcription job of the tenant, whose stored transcript is then the planted meeting.
    const { jobId, handle } = await startJob(stack.client, config, stack.store, jfk().wav, 'transcribe', owner.account.tenant);
    const result = (await handle.result()) as JobResult;
    const key = result.outputs.find((o) => o.kind === 'transcript')!.key;
    const stored = JSON.parse(await readText(await stack.store.get(key))) as Transcript;
    const segments = SEGMENTS.map(([start, speaker, text]) => ({ start, end: start + 6, speaker, text, confidence: 0.9, words: [] }));
    const planted: Transcript = { ...stored, text: segments.map((s) => s.text).join(' '), segments, speakers: ['Speaker 1', 'Speaker 2'], duration: 90 };
    await stack.store.put(key, Buffer.from(JSON.stringify(planted)), { contentType: 'application/json' });
    transcriptId = jobId;
  }, 300_000);

  it('questions: every question with who asked it and its real time, and whether it was answered', async () => {
    const res = await post(`/api/v1/transcripts/${transcriptId}/analyze/`, owner.headers, { type: 'questions' });
    const questions: Array<{ question: string; asked_by: string; at: number; answered: boolean }> = await analyzed(res, 'questions');
    expect(questions.map((q) => [q.question, q.asked_by, q.at])).toEqual([
      ['Did everyone get the agenda for the Lisbon offsite?', 'Speaker 1', 0],
      ['What is the total budget for the venue?', 'Speaker 1', 12],
      ['Who will book the flights for the team?', 'Speaker 2', 75],
    ]);
    const jobId = res.headers.get('x-job-id')!;
    const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers: owner.headers }));
    expect(job).toMatchObject({ recipe: 'analyze', status: 'succeeded' });
  });

  it('another tenant’s transcript is 404, an unknown one 404, no key 401, an unfinished one 400; none costs a credit', async () => {
    const other = await paidKey(3);
    for (const [id, headers, status] of [
      [transcriptId, other.headers, 404],
      ['job_00000000000000000000000000000000', owner.headers, 404],
      ['not-a-job', owner.headers, 404],
      [transcriptId, { 'Content-Type': 'application/json' }, 401],
    ] as const) {
      const res = await post(`/api/v1/transcripts/${id}/analyze/`, headers, { type: 'entities' });
      expect({ id, status: res.status, error: typeof (await json(res)).error }).toEqual({ id, status, error: 'string' });
    }
    const unknown = await post(`/api/v1/transcripts/${transcriptId}/analyze/`, owner.headers, { type: 'haiku' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).valid).toEqual([...ANALYSIS_TYPES]);
    // A transcription still running has no transcript yet.
    const { jobId: running } = await startJob(stack.client, config, stack.store, jfk().wav, 'transcribe', other.account.tenant);
    const early = await post(`/api/v1/transcripts/${running}/analyze/`, other.headers, { type: 'entities' });
    expect({ status: early.status, error: (await json(early)).error }).toEqual({ status: 400, error: expect.stringMatching(/no transcript to work on yet/) });
    expect(await stack.ledger.balance(other.account.id)).toBe(3);
  });
});

it('bad input is 400 (valid types named), an oversized text 413; none of them starts a job or costs a credit', async () => {
  const { account, headers } = await paidKey(3);
  const cases: Array<[unknown, number, RegExp]> = [
    ['{"text": ', 400, /not valid JSON/],
    ['[1, 2]', 400, /JSON object/],
    [{}, 400, /`text` is required/],
    [{ type: 'entities' }, 400, /`text` is required/],
    [{ text: '   ', type: 'entities' }, 400, /`text` is empty/],
    [{ text: 42, type: 'entities' }, 400, /`text` must be a string/],
    [{ text: 'hello' }, 400, /`type` is required\. Valid values: sentiment, topics, entities, action_items, questions, pii_redact\./],
    [{ text: 'hello', type: 'haiku' }, 400, /Unknown type 'haiku'\. Valid values: sentiment, topics, entities, action_items, questions, pii_redact\./],
    [{ text: 'hello', type: ['entities'] }, 400, /Valid values: sentiment, topics/],
    [{ text: 'x'.repeat(20_001), type: 'entities' }, 413, /longer than 20,000 characters/],
  ];
  for (const [body, status, message] of cases) {
    const res = await analyze(headers, body);
    const got = await json(res);
    const shown = String(JSON.stringify(body)).slice(0, 40);
    expect({ shown, status: res.status, error: got.error }).toEqual({ shown, status, error: expect.stringMatching(message) });
  }
  expect((await json(await analyze(headers, { text: 'hello', type: 'haiku' }))).valid).toEqual([...ANALYSIS_TYPES]);
  expect((await fetch(`${stack.baseUrl}/v1/analyze`, { method: 'POST', headers: { Authorization: headers.Authorization } })).status).toBe(400);
  expect(await stack.ledger.balance(account.id)).toBe(3);
});

it('every type produced a result that parses against its schema', () => {
  expect([...seen.keys()].sort()).toEqual([...ANALYSIS_TYPES].sort());
});
