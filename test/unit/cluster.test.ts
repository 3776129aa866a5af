import { absorbSmallClusters, clusterEmbeddings } from '../../lib/diarization/cluster';
import { eigengapCount, symmetricEigenvalues } from '../../lib/diarization/count-eigengap';
import { speakerLabels } from '../../lib/diarization/count';
import { DEFAULT_DIARIZER_SETTINGS } from '../../lib/diarization/diarizer';

/** Unit vectors scattered around `k` well-separated centres (seeded, so the test is repeatable). */
function groups(k: number, perGroup: number, spread: number, dim = 16, seed = 1): { items: Float32Array[]; truth: number[] } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const items: Float32Array[] = [];
  const truth: number[] = [];
  for (let i = 0; i < k * perGroup; i++) {
    const g = i % k; // interleaved, like speakers taking turns
    const v = Float32Array.from({ length: dim }, (_, d) => (d === g ? 1 : 0) + spread * rnd());
    const n = Math.hypot(...v);
    items.push(v.map((x) => x / n));
    truth.push(g);
  }
  return { items, truth };
}

/** Same partition up to renaming. */
function samePartition(a: number[], b: number[]): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  return a.every((x, i) => (ab.get(x) ?? b[i]) === b[i] && (ba.get(b[i]) ?? x) === x && (ab.set(x, b[i]), ba.set(b[i], x), true));
}

it('estimates the number of groups with the similarity threshold', () => {
  for (const k of [1, 2, 3, 5]) {
    const { items, truth } = groups(k, 20, 0.15);
    const labels = clusterEmbeddings(items, { threshold: 0.5 });
    expect(new Set(labels).size).toBe(k);
    expect(samePartition(labels, truth)).toBe(true);
  }
});

it('numbers clusters in order of first appearance', () => {
  const { items } = groups(3, 5, 0.1);
  expect(clusterEmbeddings(items, { threshold: 0.5 }).slice(0, 3)).toEqual([0, 1, 2]);
});

it('honours an exact count, even below the threshold', () => {
  const { items } = groups(4, 10, 0.1);
  expect(new Set(clusterEmbeddings(items, { threshold: 0.5, speakers: 2 })).size).toBe(2);
  expect(new Set(clusterEmbeddings(items, { threshold: 0.99, speakers: 4 })).size).toBe(4);
  expect(new Set(clusterEmbeddings(items.slice(0, 3), { threshold: 0.5, speakers: 8 })).size).toBe(3);
});

it('gives the same answer through the bounded-memory path for long inputs', () => {
  const { items, truth } = groups(3, 300, 0.15);
  const direct = clusterEmbeddings(items, { threshold: 0.5 });
  const blocked = clusterEmbeddings(items, { threshold: 0.5, maxDirect: 200 });
  expect(samePartition(direct, truth)).toBe(true);
  expect(samePartition(blocked, truth)).toBe(true);
  expect(new Set(clusterEmbeddings(items, { threshold: 0.5, maxDirect: 200, speakers: 2 })).size).toBe(2);
});

it('folds tiny clusters into their nearest large one', () => {
  const { items } = groups(2, 20, 0.1);
  const odd = Float32Array.from({ length: 16 }, (_, d) => (d === 0 ? 0.8 : d === 7 ? 0.6 : 0));
  const all = [...items, odd];
  const labels = clusterEmbeddings(all, { threshold: 0.9 });
  expect(new Set(labels).size).toBe(3);
  const folded = absorbSmallClusters(all, labels, 2);
  expect(new Set(folded).size).toBe(2);
  expect(folded[folded.length - 1]).toBe(folded[0]); // nearer to group 0's centre
});

describe('speaker count (lib/diarization/count.ts)', () => {
  const settings = { ...DEFAULT_DIARIZER_SETTINGS };
  /** Two voices that take turns, plus a stray window unlike both (a cough, a door). */
  function withStrays() {
    const { items, truth } = groups(2, 20, 0.1);
    const stray = Float32Array.from({ length: 16 }, (_, d) => (d < 2 ? -Math.SQRT1_2 : 0));
    return { items: [...items, stray], truth };
  }

  it('with the count given, never lets a few stray windows take a speaker place', () => {
    const { items, truth } = withStrays();
    // The plain dendrogram cut at 2 clusters gives the strays one of the two places and joins both voices.
    const plain = clusterEmbeddings(items, { threshold: 0.5, speakers: 2 });
    expect(samePartition(plain.slice(0, 40), truth)).toBe(false);
    const labels = speakerLabels(items, 2, settings);
    expect(new Set(labels).size).toBe(2); // still exact
    expect(samePartition(labels.slice(0, 40), truth)).toBe(true);
  });

  it('with the count given, still gives a place to a speaker who says a few words in a long call', () => {
    const { items } = groups(2, 40, 0.1);
    const brief = [0, 1].map(() => Float32Array.from({ length: 16 }, (_, d) => (d === 5 ? 1 : 0)));
    const labels = speakerLabels([...items, ...brief], 3, settings);
    expect(new Set(labels).size).toBe(3);
    expect(labels[80]).toBe(labels[81]);
    expect(labels.slice(0, 80)).not.toContain(labels[80]);
  });

  it('estimates the count by the threshold (default) or the eigengap, the strays folded in', () => {
    for (const k of [1, 2, 3, 4]) {
      const { items, truth } = groups(k, 25, 0.2);
      // One voice has no block structure to find: the eigengap rule is not asked about it.
      for (const countRule of k > 1 ? (['threshold', 'eigengap'] as const) : (['threshold'] as const)) {
        const labels = speakerLabels(items, 0, { ...settings, countRule });
        expect([k, countRule, new Set(labels).size]).toEqual([k, countRule, k]);
        expect(samePartition(labels, truth)).toBe(true);
      }
    }
    const { items } = withStrays();
    expect(new Set(speakerLabels(items, 0, settings)).size).toBe(2);
    expect(speakerLabels([], 0, settings)).toEqual([]);
  });

  it('finds the eigengap where the affinity graph splits into blocks', () => {
    for (const k of [2, 3, 5]) {
      const { items } = groups(k, 20, 0.2);
      expect([k, eigengapCount(items, { keep: 0.15, maxSpeakers: 8 }).count]).toEqual([k, k]);
    }
    // Jacobi eigenvalues: [[2,1],[1,2]] has 1 and 3.
    expect(symmetricEigenvalues(Float64Array.from([2, 1, 1, 2]), 2).sort().map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 3]);
  });
});
