/** Embedding units (one per segment, short ones with neighbours), the vector file, exact top-k (pure). */
import { embeddingUnits, unitsFingerprint } from '../../lib/rag/units';
import { decodeVectorFile, encodeVectorFile, VectorFileError } from '../../lib/rag/vector-file';
import { scoreRows, topK, TopK } from '../../lib/rag/retrieval';

const seg = (start: number, text: string) => ({ start, end: start + 2, text });

describe('embeddingUnits', () => {
  it('one unit per segment with text, in order, with its own times; a long segment is embedded alone', () => {
    const long = 'We agreed that the Lisbon office lease will be signed by Maria Santos on Friday after the lawyers finish their review.';
    const segs = [seg(0, long), seg(2, '   '), seg(4, long.replace('Lisbon', 'Porto'))];
    const units = embeddingUnits(segs, { minWords: 10, maxWords: 100 });
    expect(units.map((u) => [u.order, u.start, u.end])).toEqual([[0, 0, 2], [2, 4, 6]]);
    expect(units[0].text).toBe(long);
    expect(units[1].text).toBe(long.replace('Lisbon', 'Porto'));
  });

  it('a short segment borrows neighbours, previous first then next, until it has minWords, within maxWords', () => {
    const segs = [seg(0, 'one two three'), seg(2, 'four five'), seg(4, 'Yes, Friday.'), seg(6, 'six seven eight'), seg(8, 'nine')];
    const [u0, u1, u2, u3, u4] = embeddingUnits(segs, { minWords: 6, maxWords: 100 });
    expect(u2).toEqual({ order: 2, start: 4, end: 6, text: 'four five Yes, Friday. six seven eight' });
    // At the start there is no previous segment, at the end no next one: they take from the other side.
    expect(u0.text).toBe('one two three four five Yes, Friday.');
    expect(u4.text).toBe('Yes, Friday. six seven eight nine');
    expect([u1.order, u3.order]).toEqual([1, 3]);
    // A neighbour that would pass maxWords is not taken.
    const capped = embeddingUnits([seg(0, 'a b c d e f g h'), seg(2, 'short'), seg(4, 'i j k l m n o p')], { minWords: 6, maxWords: 10 });
    expect(capped[1].text).toBe('a b c d e f g h short');
  });

  it('the fingerprint changes with any text and with the unit rule', () => {
    const segs = [seg(0, 'hello there'), seg(2, 'general kenobi')];
    const opts = { minWords: 4, maxWords: 50 };
    const fp = unitsFingerprint(embeddingUnits(segs, opts), opts);
    expect(unitsFingerprint(embeddingUnits(segs, opts), opts)).toBe(fp);
    expect(unitsFingerprint(embeddingUnits([segs[0], seg(2, 'general grievous')], opts), opts)).not.toBe(fp);
    expect(unitsFingerprint(embeddingUnits(segs, { ...opts, minWords: 5 }), { ...opts, minWords: 5 })).not.toBe(fp);
  });
});

describe('vector file', () => {
  const header = (count: number, dimensions: number) => ({
    model: 'm', dimensions, count, fingerprint: 'abcd1234', units: Array.from({ length: count }, (_, i) => ({ order: i * 2, start: i, end: i + 1 })), truncated: 0, createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('round-trips header and float32 rows exactly (any header length: the data is aligned)', () => {
    for (const count of [0, 1, 3]) {
      const vecs = Array.from({ length: count }, (_, i) => Float32Array.from([i + 0.5, -i, 1 / 3, 1e-7]));
      const h = { ...header(count, 4), model: 'x'.repeat(count) };
      const buf = encodeVectorFile(h, vecs);
      const back = decodeVectorFile(buf);
      expect(back.header).toEqual(h);
      expect(Array.from(back.matrix)).toEqual(vecs.flatMap((v) => Array.from(v)));
      expect(buf.length % 4).toBe(0);
    }
  });

  it('refuses a mismatched count, a wrong dimension, a foreign or cut-off file', () => {
    expect(() => encodeVectorFile(header(2, 2), [new Float32Array(2)])).toThrow(VectorFileError);
    expect(() => encodeVectorFile(header(1, 2), [new Float32Array(3)])).toThrow(VectorFileError);
    expect(() => decodeVectorFile(Buffer.from('not a vector file at all'))).toThrow(VectorFileError);
    const buf = encodeVectorFile(header(2, 2), [new Float32Array(2), new Float32Array(2)]);
    expect(() => decodeVectorFile(buf.subarray(0, buf.length - 4))).toThrow(VectorFileError);
  });
});

describe('exact retrieval', () => {
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return Float32Array.from(v.map((x) => x / n));
  };

  it('scores every row by cosine, the best over several queries, and ranks the k best first', () => {
    const rows = [unit([1, 0, 0]), unit([0, 1, 0]), unit([1, 1, 0]), unit([0, 0, 1])];
    const matrix = new Float32Array(rows.length * 3);
    rows.forEach((r, i) => matrix.set(r, i * 3));
    const scores = scoreRows(matrix, 3, [unit([1, 0.1, 0])]);
    expect(topK(scores, 2).map((h) => h.row)).toEqual([0, 2]);
    expect(topK(scores, 2)[0].score).toBeCloseTo(1 / Math.hypot(1, 0.1), 5);
    const both = scoreRows(matrix, 3, [unit([1, 0, 0]), unit([0, 0, 1])]);
    expect(Array.from(both).map((s) => Math.round(s * 1000) / 1000)).toEqual([1, 0, 0.707, 1]);
    expect(topK(both, 10).map((h) => h.row)).toEqual([0, 3, 2, 1]);
    expect(() => scoreRows(matrix, 3, [new Float32Array(2)])).toThrow(/dimensions/);
  });

  it('TopK keeps the k best of a stream (ties: first offered first), as a full sort would', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.round(Math.sin(i * 12.9898) * 43758.5453) % 97);
    const best = new TopK<number>(7);
    values.forEach((v, i) => best.offer(v, i));
    const expected = values.map((v, i) => ({ score: v, item: i })).sort((a, b) => b.score - a.score || a.item - b.item).slice(0, 7);
    expect(best.sorted()).toEqual(expected);
    const none = new TopK<number>(0);
    none.offer(1, 1);
    expect(none.sorted()).toEqual([]);
  });
});
