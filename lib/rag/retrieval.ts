/**
 * Exact nearest neighbours over stored vectors. Vectors are L2-normalized, so cosine = dot product;
 * every row is scored (no index): at one machine's scale (bench/chat.ts measures it) this is a few
 * milliseconds per thousand segments, and it is the reference a vector index would be checked against.
 */
export interface Hit {
  /** Row of the matrix (the unit). */
  row: number;
  score: number;
}

/**
 * Scores of every row for each query; a row's score is its best over the queries (a follow-up is
 * asked both alone and with the previous question, and whichever reads closer counts).
 */
export function scoreRows(matrix: Float32Array, dimensions: number, queries: Float32Array[]): Float32Array {
  const rows = dimensions ? matrix.length / dimensions : 0;
  const scores = new Float32Array(rows).fill(-Infinity);
  for (const q of queries) {
    if (q.length !== dimensions) throw new Error(`query has ${q.length} dimensions, the vectors ${dimensions}`);
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      const base = r * dimensions;
      for (let d = 0; d < dimensions; d++) dot += matrix[base + d] * q[d];
      if (dot > scores[r]) scores[r] = dot;
    }
  }
  return scores;
}

/** The k best rows, best first (ties: earlier row first, so results are stable). */
export function topK(scores: Float32Array, k: number): Hit[] {
  const best = new TopK<number>(k);
  for (let r = 0; r < scores.length; r++) best.offer(scores[r], r);
  return best.sorted().map(({ score, item }) => ({ row: item, score }));
}

/**
 * A bounded best-k collection (a min-heap on score) for scoring many transcripts one after another
 * without keeping every score: O(n log k).
 */
export class TopK<T> {
  private readonly heap: Array<{ score: number; seq: number; item: T }> = [];
  private seq = 0;
  constructor(private readonly k: number) {}

  offer(score: number, item: T): void {
    if (this.k <= 0 || !Number.isFinite(score)) return;
    const e = { score, seq: this.seq++, item };
    if (this.heap.length < this.k) {
      this.heap.push(e);
      this.up(this.heap.length - 1);
    } else if (worse(this.heap[0], e)) {
      this.heap[0] = e;
      this.down(0);
    }
  }

  sorted(): Array<{ score: number; item: T }> {
    return [...this.heap].sort((a, b) => (worse(a, b) ? 1 : -1)).map(({ score, item }) => ({ score, item }));
  }

  private up(i: number) {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(this.heap[i], this.heap[p])) break;
      [this.heap[i], this.heap[p]] = [this.heap[p], this.heap[i]];
      i = p;
    }
  }

  private down(i: number) {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && worse(this.heap[l], this.heap[m])) m = l;
      if (r < n && worse(this.heap[r], this.heap[m])) m = r;
      if (m === i) break;
      [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
      i = m;
    }
  }
}

/** `a` ranks below `b`: a lower score, or the same score offered later. */
function worse(a: { score: number; seq: number }, b: { score: number; seq: number }): boolean {
  return a.score < b.score || (a.score === b.score && a.seq > b.seq);
}
