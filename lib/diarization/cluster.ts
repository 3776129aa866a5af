/**
 * Agglomerative clustering of unit-length speaker embeddings with average linkage on cosine distance.
 * The nearest-neighbour-chain algorithm makes it O(n²) time on an n×n matrix; past `maxDirect` items the
 * embeddings are first merged block by block into tight micro-clusters (weighted centroids), so memory
 * stays bounded however long the audio is.
 */
import { addInto, dot, normalizeInPlace } from './vectors';

export interface ClusterOptions {
  /** Stop merging when the average cosine similarity between two clusters falls below this. */
  threshold: number;
  /** Exact number of clusters wanted (0 or absent: estimate with `threshold`). */
  speakers?: number;
  /** Most items clustered in one n×n pass. */
  maxDirect?: number;
  /** Similarity at which neighbouring windows are pre-merged when there are too many. */
  microThreshold?: number;
  /**
   * With `speakers`: cut where `speakers` clusters hold at least this many items (weights) each, not
   * where exactly `speakers` clusters remain: a few stray windows (overlap, a cough) then stay a small
   * cluster of their own, to be folded into a speaker (absorbSmallClusters), instead of taking one of the
   * `speakers` places and pushing two real voices together.
   */
  minSize?: number;
}

interface Merge {
  a: number;
  b: number;
  distance: number;
}

/** Cluster labels 0..k-1, numbered in order of first appearance. */
export function clusterEmbeddings(items: Float32Array[], opts: ClusterOptions): number[] {
  const maxDirect = opts.maxDirect ?? 2000;
  if (items.length === 0) return [];
  if (items.length <= maxDirect) return cut(items, items.map(() => 1), opts);

  // Too many for one pass: tight micro-clusters per block, then cluster their weighted centroids.
  const micro = opts.microThreshold ?? 0.75;
  const blockSize = Math.max(2, Math.floor(maxDirect / 2));
  const owner = new Array<number>(items.length);
  const centroids: Float32Array[] = [];
  const weights: number[] = [];
  for (let start = 0; start < items.length; start += blockSize) {
    const block = items.slice(start, start + blockSize);
    const labels = cut(block, block.map(() => 1), { threshold: micro });
    const base = centroids.length;
    const k = Math.max(...labels) + 1;
    for (let c = 0; c < k; c++) {
      centroids.push(new Float32Array(items[0].length));
      weights.push(0);
    }
    labels.forEach((l, i) => {
      owner[start + i] = base + l;
      addInto(centroids[base + l], block[i]);
      weights[base + l] += 1;
    });
  }
  centroids.forEach(normalizeInPlace);
  const top = clusterWeighted(centroids, weights, { ...opts, maxDirect });
  return firstAppearance(owner.map((o) => top[o]));
}

function clusterWeighted(items: Float32Array[], weights: number[], opts: ClusterOptions & { maxDirect: number }): number[] {
  if (items.length <= opts.maxDirect) return cut(items, weights, opts);
  // Still too many (very long audio): one more level of the same reduction, weights dropped.
  return clusterEmbeddings(items, { ...opts, microThreshold: (opts.microThreshold ?? 0.75) - 0.1 });
}

/** Average-linkage dendrogram cut at a similarity threshold or at a cluster count. */
function cut(items: Float32Array[], weights: number[], opts: ClusterOptions): number[] {
  const n = items.length;
  if (n === 1) return [0];
  const merges = averageLinkage(items, weights).sort((x, y) => x.distance - y.distance);
  const wanted = opts.speakers && opts.speakers > 0 ? Math.min(opts.speakers, n) : 0;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const steps = wanted && opts.minSize ? largeClusterCut(merges, weights, wanted, opts.minSize) : -1;
  let clusters = n;
  for (let s = 0; s < merges.length; s++) {
    const m = merges[s];
    if (steps >= 0 ? s >= steps : wanted ? clusters <= wanted : m.distance > 1 - opts.threshold) break;
    parent[find(m.a)] = find(m.b);
    clusters--;
  }
  return firstAppearance(items.map((_, i) => find(i)));
}

/**
 * How many of the (sorted) merges to apply so that exactly `k` clusters weigh at least `minSize`: the
 * coarsest such cut (merging on from there would join two of them). -1 when no cut has k such clusters.
 */
function largeClusterCut(merges: Merge[], weights: number[], k: number, minSize: number): number {
  const n = weights.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const size = Float64Array.from(weights);
  let large = weights.filter((w) => w >= minSize).length;
  let best = large >= k ? 0 : -1;
  for (let s = 0; s < merges.length && n - s > k; s++) {
    const a = find(merges[s].a);
    const b = find(merges[s].b);
    large -= (size[a] >= minSize ? 1 : 0) + (size[b] >= minSize ? 1 : 0);
    parent[a] = b;
    size[b] += size[a];
    if (size[b] >= minSize) large++;
    if (large >= k) best = s + 1;
  }
  return best;
}

/** Nearest-neighbour chain with Lance-Williams updates for (weighted) average linkage. */
function averageLinkage(items: Float32Array[], weights: number[]): Merge[] {
  const n = items.length;
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 1 - dot(items[i], items[j]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  const size = Float64Array.from(weights);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let nextStart = 0;
  while (merges.length < n - 1) {
    if (!chain.length) {
      while (!active[nextStart]) nextStart++;
      chain.push(nextStart);
    }
    let x: number;
    let y: number;
    for (;;) {
      x = chain[chain.length - 1];
      const prev = chain.length > 1 ? chain[chain.length - 2] : -1;
      let best = prev >= 0 ? d[x * n + prev] : Infinity;
      y = prev;
      for (let i = 0; i < n; i++) {
        if (!active[i] || i === x) continue;
        const v = d[x * n + i];
        if (v < best) {
          best = v;
          y = i;
        }
      }
      if (y === prev) break;
      chain.push(y);
    }
    chain.pop();
    chain.pop();
    merges.push({ a: x, b: y, distance: d[x * n + y] });
    // The merged cluster lives on at y; x leaves.
    const sx = size[x];
    const sy = size[y];
    for (let i = 0; i < n; i++) {
      if (!active[i] || i === x || i === y) continue;
      const v = (sx * d[x * n + i] + sy * d[y * n + i]) / (sx + sy);
      d[y * n + i] = v;
      d[i * n + y] = v;
    }
    size[y] = sx + sy;
    active[x] = 0;
  }
  return merges;
}

/** Relabels so the first item's cluster is 0, the next new one 1, and so on. */
export function firstAppearance(labels: number[]): number[] {
  const map = new Map<number, number>();
  return labels.map((l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}

/**
 * Folds clusters that hold fewer than `minSize` items into the most similar large cluster: with the
 * count estimated, a handful of noisy windows (a cough, a laugh) should not become a speaker.
 */
export function absorbSmallClusters(items: Float32Array[], labels: number[], minSize: number): number[] {
  const k = Math.max(-1, ...labels) + 1;
  const counts = new Array<number>(k).fill(0);
  labels.forEach((l) => counts[l]++);
  const large = counts.map((c, i) => (c >= minSize ? i : -1)).filter((i) => i >= 0);
  if (!large.length || large.length === k) return labels;
  const centroids = large.map((c) => {
    const v = new Float32Array(items[0].length);
    labels.forEach((l, i) => l === c && addInto(v, items[i]));
    return normalizeInPlace(v);
  });
  return firstAppearance(
    labels.map((l, i) => {
      if (counts[l] >= minSize) return l;
      let best = 0;
      for (let j = 1; j < large.length; j++) if (dot(items[i], centroids[j]) > dot(items[i], centroids[best])) best = j;
      return large[best];
    }),
  );
}
