/**
 * chrF (Popović 2015) exactly as sacrebleu computes it by default (`CHRF()`: char order 6, word
 * order 0, β = 2, whitespace removed): character n-gram statistics for n = 1..6 are summed over
 * the corpus, precision and recall are averaged over the orders that occur, and one F-β of those
 * averages is the score (0–100). Used to choose a translation engine per language pair by
 * measurement (bench/translation.ts) and as the tests' quality bar.
 */

export const CHRF_ORDER = 6;
export const CHRF_BETA = 2;

/** Per order n (1..6): hypothesis n-grams, reference n-grams, matched n-grams. */
export type ChrfStats = number[];

function ngramCounts(s: string, n: number): Map<string, number> {
  const chars = Array.from(s);
  const out = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** sacrebleu's `_remove_whitespace`: chrF compares characters with all whitespace removed. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Statistics of one hypothesis against one reference (3 numbers per order). */
export function chrfStats(hypothesis: string, reference: string): ChrfStats {
  const hyp = squeeze(hypothesis);
  const ref = squeeze(reference);
  const stats: number[] = [];
  for (let n = 1; n <= CHRF_ORDER; n++) {
    const h = ngramCounts(hyp, n);
    const r = ngramCounts(ref, n);
    let hypTotal = 0;
    let refTotal = 0;
    let match = 0;
    for (const c of h.values()) hypTotal += c;
    for (const [g, c] of r) {
      refTotal += c;
      match += Math.min(c, h.get(g) ?? 0);
    }
    stats.push(hypTotal, refTotal, match);
  }
  return stats;
}

/** The score (0–100) of summed statistics, as sacrebleu's `CHRF._compute_f_score`. */
export function chrfFromStats(stats: ChrfStats, beta = CHRF_BETA): number {
  const eps = 1e-16;
  const factor = beta ** 2;
  let avgPrec = 0;
  let avgRec = 0;
  let effectiveOrder = 0;
  for (let i = 0; i < CHRF_ORDER; i++) {
    const [hyp, ref, match] = stats.slice(3 * i, 3 * i + 3);
    const prec = hyp > 0 ? match / hyp : eps;
    const rec = ref > 0 ? match / ref : eps;
    // Only orders present on both sides count (sacrebleu's effective-order smoothing).
    if (hyp > 0 && ref > 0) {
      effectiveOrder++;
      avgPrec += prec;
      avgRec += rec;
    }
  }
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  return (100 * (1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec);
}

/** Sentence-level chrF (sacrebleu `sentence_chrf`). */
export function sentenceChrf(hypothesis: string, reference: string): number {
  return chrfFromStats(chrfStats(hypothesis, reference));
}

/** Corpus-level chrF (sacrebleu `corpus_chrf` with one reference per segment): statistics summed first. */
export function corpusChrf(hypotheses: readonly string[], references: readonly string[]): number {
  if (hypotheses.length !== references.length) throw new Error(`chrF: ${hypotheses.length} hypotheses for ${references.length} references`);
  const total = new Array<number>(3 * CHRF_ORDER).fill(0);
  hypotheses.forEach((h, i) => chrfStats(h, references[i]).forEach((v, j) => (total[j] += v)));
  return chrfFromStats(total);
}
