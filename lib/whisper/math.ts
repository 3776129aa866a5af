/** log Σ exp(x[i]) over [from, to), stable; -Infinity when every entry is -Infinity. */
export function logSumExp(x: ArrayLike<number>, from = 0, to = x.length): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (x[i] > max) max = x[i];
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(x[i] - max);
  return max + Math.log(s);
}

export function argmax(x: ArrayLike<number>, from = 0, to = x.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** mulberry32: tiny seeded PRNG so temperature fallback is reproducible run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from softmax(logits / temperature). */
export function sampleWithTemperature(logits: Float32Array, temperature: number, rand: () => number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp((logits[i] - max) / temperature);
  let u = rand() * total;
  let lastFinite = 0;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] === -Infinity) continue;
    lastFinite = i;
    u -= Math.exp((logits[i] - max) / temperature);
    if (u <= 0) return i;
  }
  return lastFinite; // rounding left a sliver of mass unassigned
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
