/**
 * The sentence embedder on the real all-MiniLM-L6-v2 (scripts/models/install-embeddings.sh): shape and
 * unit length, meaning (paraphrases closer than unrelated sentences), sentence-transformers-style
 * truncation at 256 word pieces, and batching that changes nothing (sorted, padded per batch).
 */
import { cosine } from '../../lib/embeddings/embedder';
import { OnnxTextEmbedder, batchesByLength } from '../../lib/embeddings/minilm';
import { embeddingModelDir, sentenceFixture } from './fixtures';

let embedder: OnnxTextEmbedder;
beforeAll(async () => {
  embedder = await OnnxTextEmbedder.load(embeddingModelDir(), { intraOpNumThreads: 1, batchSize: 4 });
});
afterAll(() => embedder?.release());

it('describes itself and returns unit-length 384-d vectors in input order', async () => {
  expect({ id: embedder.id, dimensions: embedder.dimensions, maxTokens: embedder.maxTokens }).toEqual({ id: 'all-minilm-l6-v2', dimensions: 384, maxTokens: 256 });
  const { vectors, truncated } = await embedder.embed(['first', 'a much longer second sentence', 'first']);
  expect(vectors).toHaveLength(3);
  expect(truncated).toEqual([false, false, false]);
  for (const v of vectors) {
    expect(v).toHaveLength(384);
    expect(Math.sqrt(cosine(v, v))).toBeCloseTo(1, 5);
  }
  // the same text in two places gets the same vector, though the batch sorts by length
  expect(cosine(vectors[0], vectors[2])).toBeCloseTo(1, 6);
  expect(cosine(vectors[0], vectors[1])).toBeLessThan(0.9);
  expect(await embedder.embed([])).toEqual({ vectors: [], truncated: [] });
});

it('puts paraphrases closer together than unrelated sentences', async () => {
  const { sentences, paraphrases, unrelated } = sentenceFixture();
  const { vectors } = await embedder.embed(sentences.slice(0, 52));
  const sim = ([a, b]: [number, number]) => cosine(vectors[a], vectors[b]);
  const worstParaphrase = Math.min(...paraphrases.map(sim));
  const bestUnrelated = Math.max(...unrelated.map(sim));
  // measured: paraphrases 0.48–0.95, unrelated -0.11–0.11
  expect(worstParaphrase).toBeGreaterThan(bestUnrelated + 0.2);
  // and each paraphrase is the nearest of all the others to its partner
  for (const [a, b] of paraphrases) {
    const others = vectors.map((v, i) => (i === a ? -Infinity : cosine(vectors[a], v)));
    expect(others.indexOf(Math.max(...others))).toBe(b);
  }
});

it('flags and truncates a text over 256 word pieces, embedding its start like sentence-transformers', async () => {
  const shortText = 'The meeting moved to Thursday.';
  const long = `${shortText} ${'and then some more words about the schedule '.repeat(60)}`;
  const { vectors, truncated } = await embedder.embed([shortText, long]);
  expect(truncated[0]).toBe(false);
  expect(truncated[1]).toBe(true);
  // Everything past piece 255 is dropped: appending more text to an already-truncated text changes nothing.
  const { vectors: again, truncated: t2 } = await embedder.embed([`${long} Lisbon lease budget churn`]);
  expect(t2).toEqual([true]);
  expect(cosine(vectors[1], again[0])).toBeCloseTo(1, 6);
  expect(cosine(vectors[0], vectors[1])).toBeLessThan(0.999);
});

it('gives the same vectors batched (sorted, padded per batch) as one by one', async () => {
  const { sentences } = sentenceFixture();
  const texts = [sentences[0], sentences[60], sentences[3], sentences[28], sentences[39], sentences[10], sentences[61]];
  const batched = await embedder.embed(texts);
  for (let i = 0; i < texts.length; i++) {
    const alone = await embedder.embed([texts[i]]);
    expect(alone.truncated[0]).toBe(batched.truncated[i]);
    expect(cosine(alone.vectors[0], batched.vectors[i])).toBeGreaterThan(0.99999);
  }
});

it('batches longest first, at most the batch size, and never pads a text to more than twice its length', () => {
  expect(batchesByLength([10, 256, 12, 200, 9, 11, 100, 60], 3)).toEqual([[1, 3], [6, 7], [2, 5, 0], [4]]);
  expect(batchesByLength([], 32)).toEqual([]);
  expect(batchesByLength([5, 5, 5, 5, 5], 2)).toEqual([[0, 1], [2, 3], [4]]);
});
