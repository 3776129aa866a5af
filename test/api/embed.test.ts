/**
 * POST /v1/embed end to end on the real all-MiniLM-L6-v2 (scripts/models/install-embeddings.sh): the API
 * stores the texts, a Temporal workflow runs the billed `embed` step on the gpu worker's embedder, the
 * vectors come back from storage (never through workflow history) in the contract's shape, plus the
 * model and a per-text truncation report; bad input is a 400/413 that costs nothing.
 */
import { cosine } from '../../lib/embeddings/embedder';
import { OnnxTextEmbedder } from '../../lib/embeddings/minilm';
import { textCredits } from '../../workflows/pricing';
import { embeddingModelDir } from '../embeddings/fixtures';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(300_000);

const MAX_TEXTS = 8;
const MAX_CHARS = 2000;
const config = testConfig({
  VOXFLOW_EMBED_MAX_TEXTS: String(MAX_TEXTS),
  VOXFLOW_EMBED_MAX_CHARS: String(MAX_CHARS),
  VOXFLOW_TEXT_MAX_CHARS: '5000',
  VOXFLOW_INFERENCE_THREADS: '1',
  VOXFLOW_SYNC_WAIT_MS: '240000',
});
let stack: Stack;
let local: OnnxTextEmbedder;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  local = await OnnxTextEmbedder.load(embeddingModelDir(), { intraOpNumThreads: 1 });
});
afterAll(async () => {
  await local?.release();
  await stack?.stop();
});

const embed = (headers: Record<string, string>, body: unknown) => postJson(stack, '/v1/embed', headers, body);

it('GET /v1/models lists the embedding model with its type, dimensions and an honest installed flag', async () => {
  const body = await json(await fetch(`${stack.baseUrl}/v1/models`));
  expect(body.models.filter((m: { type: string }) => m.type === 'embedding')).toEqual([
    expect.objectContaining({ id: 'all-minilm-l6-v2', type: 'embedding', dimensions: 384, max_tokens: 256, installed: true }),
  ]);
  expect(body.data.map((m: { id: string }) => m.id)).toContain('all-minilm-l6-v2');
});

it('embeds a batch: 384-d unit vectors equal to the library, truncation reported per text, charged once, vectors not in history', async () => {
  const texts = ['We signed the lease for the Lisbon office.', 'The Lisbon office lease was signed.', 'Photosynthesis happens in chloroplasts.', `Long. ${'and the schedule moved again '.repeat(60)}`];
  const chars = texts.reduce((n, t) => n + [...t].length, 0);
  const { account, headers } = await paidKeyOn(stack, 'emb', 5);
  const started = Date.now();
  const res = await embed(headers, { texts });
  const body = await json(res);
  console.log(`POST /v1/embed of ${texts.length} texts: ${Date.now() - started} ms`);
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['dimensions', 'embeddings', 'model', 'truncated']);
  expect(body).toMatchObject({ dimensions: 384, model: 'all-minilm-l6-v2', truncated: [false, false, false, true] });
  expect(res.headers.get('x-model')).toBe('all-minilm-l6-v2');
  const vectors = (body.embeddings as number[][]).map((v) => Float32Array.from(v));
  expect(vectors.map((v) => v.length)).toEqual([384, 384, 384, 384]);
  const mine = await local.embed(texts);
  vectors.forEach((v, i) => {
    expect(Math.sqrt(cosine(v, v))).toBeCloseTo(1, 5);
    expect(cosine(v, mine.vectors[i])).toBeGreaterThan(0.99999);
  });
  expect(cosine(vectors[0], vectors[1])).toBeGreaterThan(cosine(vectors[0], vectors[2]) + 0.3);

  const jobId = res.headers.get('x-job-id')!;
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'embed', reserved: textCredits(chars), settled: textCredits(chars), refunded: null }]);
  expect(await stack.ledger.balance(account.id)).toBe(5 - textCredits(chars));
  const job = await json(await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers }));
  expect(job).toMatchObject({ recipe: 'embed', status: 'succeeded' });
  // Claim check: neither the texts nor the vectors travel through workflow history.
  const history = JSON.stringify(await stack.client.workflow.getHandle(jobId).fetchHistory());
  expect(history).not.toContain('Photosynthesis');
  expect(history).not.toContain(String(body.embeddings[2][0]));
});

it('accepts a single `text` too, answering with a list of one embedding', async () => {
  const { headers } = await paidKeyOn(stack, 'emb', 2);
  const res = await embed(headers, { text: 'Hello world' });
  const body = await json(res);
  expect(res.status).toBe(200);
  expect(body.embeddings).toHaveLength(1);
  expect(body.truncated).toEqual([false]);
  expect(cosine(Float32Array.from(body.embeddings[0]), (await local.embed(['Hello world'])).vectors[0])).toBeGreaterThan(0.99999);
});

it('bad input is a 400/413 naming the limit, a bad key 401, no credits 402; none of them costs a credit', async () => {
  const { account, headers } = await paidKeyOn(stack, 'emb', 3);
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['malformed JSON', '{"texts": ', 400, /not valid JSON/],
    ['not an object', [1, 2], 400, /JSON object/],
    ['no texts', {}, 400, /`texts` is required/],
    ['both text and texts', { text: 'a', texts: ['a'] }, 400, /either `texts`.*not both/],
    ['texts not a list', { texts: 'hello' }, 400, /`texts` must be a list of strings/],
    ['empty list', { texts: [] }, 400, /`texts` is empty/],
    ['a number in texts', { texts: ['ok', 7] }, 400, /`texts\[1\]` must be a string/],
    ['an empty string in texts', { texts: ['ok', '  '] }, 400, /`texts\[1\]` is empty/],
    ['text not a string', { text: 42 }, 400, /`text` must be a string/],
    ['too many texts', { texts: Array.from({ length: MAX_TEXTS + 1 }, () => 'hi') }, 413, new RegExp(`at most ${MAX_TEXTS} are embedded`)],
    ['a text over the per-text limit', { texts: ['ok', 'x'.repeat(MAX_CHARS + 1)] }, 413, /`texts\[1\]` is longer than 2,000 characters/],
    ['texts over the total limit', { texts: ['a', 'b', 'c'].map((c) => c.repeat(MAX_CHARS)) }, 413, /add up to more than 5,000 characters/],
  ];
  for (const [name, body, status, message] of cases) {
    const res = await embed(headers, body);
    const got = await json(res);
    expect({ name, status: res.status, error: got.error }).toEqual({ name, status, error: expect.stringMatching(message) });
  }
  const badKey = await embed({ Authorization: 'Bearer vf_not_a_key', 'Content-Type': 'application/json' }, { texts: ['hi'] });
  expect(badKey.status).toBe(401);
  expect(await json(badKey)).toHaveProperty('error');
  const broke = await paidKeyOn(stack, 'emb', 0);
  const poor = await embed(broke.headers, { texts: ['hi'] });
  expect(poor.status).toBe(402);
  expect(await json(poor)).toHaveProperty('error');
  expect(await stack.ledger.balance(account.id)).toBe(3);
});
