/**
 * POST /api/v1/transcripts/:id/chat/ end to end: a real transcription (Whisper base) of espeak-ng
 * speech with a planted fact, whose embed step stores the segment vectors (real all-MiniLM-L6-v2),
 * then questions answered by the real 0.5B LLM from the retrieved segments: the answer holds the
 * fact and cites its segment; a follow-up resolves through the session; an absent topic is said
 * to be absent; another tenant gets 404. Three LLM generations in all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer, text as readText } from 'node:stream/consumers';
import { vectorsKey } from '../../lib/rag/keys';
import { decodeVectorFile } from '../../lib/rag/vector-file';
import { NOT_IN_TRANSCRIPT } from '../../lib/rag/chat-prompt';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult } from '../../workflows/model';
import { textCredits } from '../../workflows/pricing';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startJob } from '../helpers/jobs';
import { speechWav } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(900_000);

const MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const config = testConfig({
  VOXFLOW_LLM_MODEL: MODEL,
  VOXFLOW_LLM_THREADS: '1',
  VOXFLOW_LLM_CONTEXT: '2048',
  VOXFLOW_LLM_CHUNK_TOKENS: '1024',
  VOXFLOW_SYNC_WAIT_MS: '800000',
});
let stack: Stack;
let dir: string;

/** A planning call; the lease fact and who does it are planted in two sentences. */
const SPEECH = [
  'Good morning everyone, thanks for joining the weekly planning call.',
  'First, the website redesign is on track and the new pages go live next month.',
  'Second, we talked about the office move.',
  'The lease for the new Lisbon office will be signed on Friday.',
  'Maria will sign it, and she will bring the keys back on Monday.',
  'Finally, the team dinner is at the Italian restaurant near the station.',
].join(' ');

let owner: Awaited<ReturnType<typeof paidKeyOn>>;
let transcriptId: string;
let transcript: Transcript;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-test-'));
  stack = await startStack(config, { api: true });
  owner = await paidKeyOn(stack, 'chat', 10);
  const wav = speechWav(dir, SPEECH, 'planning.wav');
  const { jobId, handle } = await startJob(stack.client, config, stack.store, wav, 'transcribe', owner.account.tenant, {
    transcribe: { model: 'base', language: 'en', diarize: false, speakers: 0, wordTimestamps: false },
  });
  const result = (await handle.result()) as JobResult;
  transcriptId = jobId;
  transcript = JSON.parse(await readText(await stack.store.get(result.outputs.find((o) => o.kind === 'transcript')!.key)));
  console.log(transcript.segments.map((s, i) => `${i}: ${s.text}`).join('\n'));
}, 600_000);
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const chat = (id: string, headers: Record<string, string>, body: unknown) => postJson(stack, `/api/v1/transcripts/${id}/chat/`, headers, body);
const ordersMatching = (re: RegExp) => transcript.segments.flatMap((s, i) => (re.test(s.text) ? [i] : []));

it('the embed step stored one vector per segment with text, next to the transcript, by MiniLM', async () => {
  const file = decodeVectorFile(await buffer(await stack.store.get(vectorsKey(transcriptId))));
  const spoken = transcript.segments.filter((s) => s.text.trim()).length;
  expect(spoken).toBeGreaterThanOrEqual(2);
  expect(file.header).toMatchObject({ model: 'all-minilm-l6-v2', dimensions: 384, count: spoken });
  expect(file.header.units.map((u) => u.order)).toEqual(transcript.segments.flatMap((s, i) => (s.text.trim() ? [i] : [])));
  expect(file.matrix.length).toBe(spoken * 384);
  // Unit length (L2-normalized): the scores are cosines.
  const norm = Math.hypot(...file.matrix.subarray(0, 384));
  expect(norm).toBeCloseTo(1, 4);
});

it('answers from the transcript with the planted fact and cites its segment; a follow-up resolves through the session; charged once per question', async () => {
  const question = 'When will the lease for the Lisbon office be signed?';
  const res = await chat(transcriptId, owner.headers, { question });
  const body = await json(res);
  console.log('first:', JSON.stringify(body));
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['answer', 'model', 'session_id', 'sources']);
  expect(body.model).toBe(MODEL);
  expect(body.answer).toMatch(/friday/i);
  const factSegments = ordersMatching(/friday/i);
  expect(factSegments.length).toBeGreaterThan(0);
  expect(body.sources.map((s: { segment_order: number }) => s.segment_order)).toEqual(expect.arrayContaining([factSegments[0]]));
  for (const s of body.sources) {
    expect(s.text).toBe(transcript.segments[s.segment_order].text.trim());
    expect(s.score).toBeGreaterThan(0.25);
    expect(s.score).toBeLessThanOrEqual(1);
  }
  expect(body.session_id).toMatch(/^chat_[0-9a-f]{32}$/);
  const jobId = res.headers.get('x-job-id')!;
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'chat', reserved: textCredits(question.length), settled: textCredits(question.length), refunded: null }]);

  // "it" and "do it" name nothing on their own: the session's previous question makes them the lease.
  const follow = await chat(transcriptId, owner.headers, { question: 'And who will do it?', session_id: body.session_id });
  const next = await json(follow);
  console.log('follow-up:', JSON.stringify(next));
  expect(follow.status).toBe(200);
  expect(next.session_id).toBe(body.session_id);
  expect(next.answer).toMatch(/maria/i);
  expect(next.sources.map((s: { segment_order: number }) => s.segment_order)).toEqual(expect.arrayContaining([ordersMatching(/maria/i)[0]]));
  const row = await stack.db.get<{ turns: string; tenant: string }>(`SELECT turns, tenant FROM chat_sessions WHERE id = ?`, [body.session_id]);
  expect(row!.tenant).toBe(owner.account.tenant);
  expect(JSON.parse(row!.turns).map((t: { question: string }) => t.question)).toEqual([question, 'And who will do it?']);
  expect(await stack.ledger.balance(owner.account.id)).toBe(10 - textCredits(question.length) - textCredits('And who will do it?'.length));
});

it('a question the transcript does not answer is said to be absent, without sources', async () => {
  const res = await chat(transcriptId, owner.headers, { question: 'How many people were hired in the sales team?' });
  const body = await json(res);
  console.log('absent:', JSON.stringify(body));
  expect(res.status).toBe(200);
  expect(body.answer).toBe(NOT_IN_TRANSCRIPT);
  expect(body.sources).toEqual([]);
  expect(body.model).toBe(MODEL);
});

it('another tenant’s transcript or session is 404, no key 401, bad input 400; none costs a credit', async () => {
  const other = await paidKeyOn(stack, 'chat-other', 3);
  const before = await stack.ledger.balance(owner.account.id);
  const { session_id } = await json(await chat(transcriptId, owner.headers, { question: 'How many people were hired in the sales team?' }));
  const cases: Array<[string, Record<string, string>, unknown, number, RegExp]> = [
    [transcriptId, other.headers, { question: 'When is the lease signed?' }, 404, /not found/i],
    [transcriptId, other.headers, { question: 'When is the lease signed?', session_id }, 404, /not found/i],
    ['job_00000000000000000000000000000000', owner.headers, { question: 'x' }, 404, /not found/i],
    [transcriptId, owner.headers, { question: 'When?', session_id: 'chat_00000000000000000000000000000000' }, 404, /session not found/],
    [transcriptId, owner.headers, { question: 'When?', session_id: 'not-a-session' }, 404, /session not found/],
    [transcriptId, { 'Content-Type': 'application/json' }, { question: 'When?' }, 401, /API key/],
    [transcriptId, owner.headers, {}, 400, /`question` is required/],
    [transcriptId, owner.headers, { question: '  ' }, 400, /`question` is empty/],
    [transcriptId, owner.headers, { question: 7 }, 400, /`question` must be a string/],
    [transcriptId, owner.headers, { question: 'When?', session_id: 12 }, 400, /`session_id` must be a string/],
    [transcriptId, owner.headers, '{"question": ', 400, /not valid JSON/],
    [transcriptId, owner.headers, { question: 'x'.repeat(1001) }, 413, /longer than 1,000 characters/],
  ];
  for (const [id, headers, body, status, message] of cases) {
    const res = await chat(id, headers, body);
    const shown = `${id.slice(0, 8)} ${String(JSON.stringify(body)).slice(0, 50)}`;
    expect({ shown, status: res.status, error: (await json(res)).error }).toEqual({ shown, status, error: expect.stringMatching(message) });
  }
  expect(await stack.ledger.balance(other.account.id)).toBe(3);
  expect(await stack.ledger.balance(owner.account.id)).toBe(before - 1);
});
