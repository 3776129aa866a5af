/**
 * GET /api/v1/search end to end: 24 transcripts of one tenant (real transcription jobs whose stored
 * transcripts are then planted meetings, each about its own topic, their vectors removed: the
 * transcripts "from before the embed step"), so the first search makes every vector on first use
 * (real all-MiniLM-L6-v2 on the gpu worker), and paraphrased queries find the right transcript and
 * segment in the top 3. Another tenant's transcripts never show. No LLM.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { vectorsKey } from '../../lib/rag/keys';
import { decodeVectorFile } from '../../lib/rag/vector-file';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startJob, until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(600_000);

const config = testConfig({ VOXFLOW_SEARCH_MAX_LIMIT: '20' });
let stack: Stack;
let dir: string;

/** One planted fact per meeting (segment 1), between lines every meeting has. */
const FACTS = [
  'The lease for the Lisbon office will be signed on Friday by our lawyer.',
  'Our quarterly tax filing is due at the end of April, so the accountants need the receipts.',
  'The new espresso machine for the kitchen arrives next Tuesday morning.',
  'We will migrate the customer database to PostgreSQL during June.',
  'The marketing team hired two graphic designers from Berlin.',
  'The annual company picnic will be held at the lake in August.',
  'Sales in Brazil grew by twenty percent this quarter thanks to the new distributor.',
  'The mobile app crashes whenever users upload large photos from their gallery.',
  'We need to renew the fire safety certificate for the warehouse before it expires.',
  'The board approved the budget for solar panels on the factory roof.',
  'Our biggest client in Tokyo is asking for a discount on the contract renewal.',
  'The interns will present their research on battery recycling next week.',
  'Parking spaces in the underground garage will be reassigned next month.',
  'The podcast episode about sleep science got a record number of downloads.',
  'We are switching to a new payroll provider in January.',
  'The hiking trip to the Alps was postponed because of heavy snow.',
  'The security audit found weak passwords on three of our servers.',
  'The bakery order for the launch party is two hundred croissants.',
  'The translation of the user manual into Japanese is finished.',
  'All of our diesel delivery vans will be replaced with electric ones.',
  'The children’s book fair takes place in the city library this spring.',
  'The veterinary clinic software needs a new appointment calendar.',
  'Choir rehearsals move to Thursday evenings from now on.',
  'The football club signed a sponsorship deal with a local bank.',
];
const planted = (fact: string): Transcript['segments'] =>
  ['Good morning, everyone, let us get started with the first item on the agenda.', fact, 'Does anyone have questions about that before we move on?', 'Thanks, see you all next week.'].map(
    (text, i) => ({ start: i * 8, end: i * 8 + 7, text, confidence: 0.9, words: [] }),
  );

/** Queries in other words than the fact, and the meeting that holds the answer. */
const QUERIES: Array<[string, number]> = [
  ['where did we talk about the Lisbon lease', 0],
  ['deadline for filing taxes', 1],
  ['phone application crashing on pictures', 7],
  ['electric vehicles for deliveries', 19],
  ['sponsor for the soccer team', 23],
];

let owner: Awaited<ReturnType<typeof paidKeyOn>>;
let other: Awaited<ReturnType<typeof paidKeyOn>>;
const ids: string[] = [];
let otherId: string;

/** A transcription job of `tenant` (one second of silence: fast), its transcript replaced by `segments`, its vectors removed. */
async function storedTranscript(silence: string, tenant: string, segments: Transcript['segments']): Promise<string> {
  const { jobId, handle } = await startJob(stack.client, config, stack.store, silence, 'transcribe', tenant, {
    transcribe: { model: 'base', language: 'en', diarize: false, speakers: 0, wordTimestamps: false },
  });
  const result = (await handle.result()) as JobResult;
  const key = result.outputs.find((o) => o.kind === 'transcript')!.key;
  const t: Transcript = { text: segments.map((s) => s.text).join(' '), language: 'en', duration: 32, segments, speakers: [], model: 'base' };
  await stack.store.put(key, Buffer.from(JSON.stringify(t)), { contentType: 'application/json' });
  await stack.store.delete(vectorsKey(jobId));
  return jobId;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-test-'));
  const silence = path.join(dir, 'silence.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '1', silence]);
  stack = await startStack(config, { api: true });
  owner = await paidKeyOn(stack, 'search', 1);
  other = await paidKeyOn(stack, 'search-other', 1);
  // A few at a time: the workers share this process's event loop with jest.
  for (let i = 0; i < FACTS.length; i += 3) {
    ids.push(...(await Promise.all(FACTS.slice(i, i + 3).map((f) => storedTranscript(silence, owner.account.tenant, planted(f))))));
  }
  otherId = await storedTranscript(silence, other.account.tenant, planted(FACTS[0]));
  // The list comes from Temporal's visibility store: wait until it shows every finished transcription.
  await until(async () => {
    const listed = await json(await fetch(`${stack.baseUrl}/api/v1/transcripts/?status=succeeded&page_size=100`, { headers: owner.headers }));
    return listed.jobs.length === FACTS.length;
  }, 60_000);
}, 600_000);
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const search = (params: Record<string, string>, headers: Record<string, string> = owner.headers) =>
  fetch(`${stack.baseUrl}/api/v1/search?${new URLSearchParams(params)}`, { headers });

it('finds the right transcript and segment in the top 3 across 24 transcripts, making their vectors on first use', async () => {
  const timings: number[] = [];
  for (const [i, [q, meeting]] of QUERIES.entries()) {
    const t0 = Date.now();
    const res = await search({ q, limit: '5' });
    timings.push(Date.now() - t0);
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ query: q, searched: FACTS.length, model: 'all-minilm-l6-v2' });
    const top = body.results.slice(0, 3).map((r: { transcript_id: string; segment_order: number }) => [r.transcript_id, r.segment_order]);
    console.log(q, JSON.stringify(body.results.slice(0, 3).map((r: { text: string; score: number }) => [r.score, r.text.slice(0, 40)])));
    expect({ q, top }).toEqual({ q, top: expect.arrayContaining([[ids[meeting], 1]]) });
    expect(body.results).toHaveLength(5);
    // The fact segment comes with its real times and text.
    const hit = body.results.find((r: { transcript_id: string; segment_order: number }) => r.transcript_id === ids[meeting] && r.segment_order === 1);
    expect(hit).toMatchObject({ start: 8, end: 15, text: FACTS[meeting] });
    const scores = body.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Only the caller's own transcripts.
    expect(body.results.some((r: { transcript_id: string }) => r.transcript_id === otherId)).toBe(false);
    if (i === 0) {
      // The first search made every transcript's vectors: 4 segments each, stored next to the transcript.
      for (const id of ids) expect(decodeVectorFile(await buffer(await stack.store.get(vectorsKey(id)))).header.count).toBe(4);
    }
  }
  console.log(`search over ${FACTS.length} transcripts x 4 segments: first (vectors made) ${timings[0]} ms, then ${timings.slice(1).join(', ')} ms (HTTP round trip, workflow included)`);
  // The other tenant finds its own copy of the Lisbon meeting, and only it.
  const theirs = await json(await search({ q: 'Lisbon lease', limit: '3' }, other.headers));
  expect(theirs.searched).toBe(1);
  expect(theirs.results.map((r: { transcript_id: string }) => r.transcript_id)).toEqual([otherId, otherId, otherId]);
  expect(theirs.results[0].segment_order).toBe(1);
  // Search is free.
  expect(await stack.ledger.balance(owner.account.id)).toBe(1);
});

it('bad parameters are 400, no key 401', async () => {
  const cases: Array<[Record<string, string>, number, RegExp]> = [
    [{}, 400, /`q` is required/],
    [{ q: '   ' }, 400, /`q` is required/],
    [{ q: 'lease', limit: '0' }, 400, /`limit` must be a whole number from 1 to 20/],
    [{ q: 'lease', limit: '21' }, 400, /from 1 to 20/],
    [{ q: 'lease', limit: 'ten' }, 400, /from 1 to 20/],
    [{ q: 'x'.repeat(1001) }, 400, /longer than 1,000 characters/],
  ];
  for (const [params, status, message] of cases) {
    const res = await search(params);
    expect({ params: JSON.stringify(params).slice(0, 40), status: res.status, error: (await json(res)).error }).toEqual({ params: JSON.stringify(params).slice(0, 40), status, error: expect.stringMatching(message) });
  }
  const twice = await fetch(`${stack.baseUrl}/api/v1/search?q=a&q=b`, { headers: owner.headers });
  expect(twice.status).toBe(400);
  const anon = await fetch(`${stack.baseUrl}/api/v1/search?q=lease`);
  expect(anon.status).toBe(401);
});
