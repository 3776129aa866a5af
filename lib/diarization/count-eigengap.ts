/**
 * Speaker count from the spectrum of the window affinity graph (the eigengap heuristic of spectral
 * clustering, NME-SC style): cosine affinities, each row pruned to its strongest `keep` share (so the
 * graph links a window mostly to its own speaker's windows), symmetrised; the count is where the sorted
 * eigenvalues of the normalised Laplacian jump most. Unlike a fixed similarity threshold this is relative
 * to the recording: a telephone channel that pulls every voice closer together moves all affinities at
 * once, and the block structure (and so the gap) survives.
 */
import { dot } from './vectors';

/** Most windows the spectrum is computed on (evenly strided beyond that: the count is a global property). */
const MAX_ITEMS = 300;

export interface EigengapOptions {
  /** Share of each row's affinities kept (the rest set to 0). */
  keep: number;
  maxSpeakers: number;
}

/** Eigengap count estimate and the relative size of the winning gap (gap / λ_k+1 spread), for diagnostics. */
export function eigengapCount(items: Float32Array[], opts: EigengapOptions): { count: number; gaps: number[]; eigenvalues: number[] } {
  const stride = Math.ceil(items.length / MAX_ITEMS);
  const x = stride > 1 ? items.filter((_, i) => i % stride === 0) : items;
  const n = x.length;
  if (n < 3) return { count: Math.min(1, n), gaps: [], eigenvalues: [] };
  const a = new Float64Array(n * n);
  const keepN = Math.max(2, Math.round(opts.keep * n));
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = i === j ? 1 : Math.max(0, dot(x[i], x[j]));
    const cut = Float64Array.from(row).sort()[n - keepN];
    for (let j = 0; j < n; j++) a[i * n + j] = row[j] >= cut ? row[j] : 0;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (a[i * n + j] + a[j * n + i]) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) deg[i] += a[i * n + j];
  // L = I - D^-1/2 A D^-1/2
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) l[i * n + j] = (i === j ? 1 : 0) - a[i * n + j] / Math.sqrt(deg[i] * deg[j]);
  }
  const ev = symmetricEigenvalues(l, n).sort((p, q) => p - q);
  const maxK = Math.min(opts.maxSpeakers, n - 1);
  const gaps = Array.from({ length: maxK }, (_, k) => ev[k + 1] - ev[k]);
  let best = 0;
  for (let k = 1; k < maxK; k++) if (gaps[k] > gaps[best]) best = k;
  return { count: best + 1, gaps, eigenvalues: ev.slice(0, maxK + 1) };
}

/** Eigenvalues of a symmetric n×n matrix (row-major, destroyed) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(m: Float64Array, n: number): number[] {
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
    if (off < 1e-12 * n) break; // eigenvalues to ~1e-6: plenty for locating a gap
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-15) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => m[i * n + i]);
}
