/**
 * Real-input FFT for arbitrary even sizes whose half factors into 2, 3, 4 and 5 (Whisper's n_fft = 400:
 * half = 200 = 4·2·5·5). A real signal of length N is packed as a complex signal of length N/2, run through
 * a mixed-radix Stockham FFT with precomputed twiddles, then untangled. Plans are built once per size.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly radices: number[];
  private readonly stageTwiddles: Float64Array[]; // per stage: [re, im] of w_n^(p*u) for p < m, u < r
  private readonly splitRe: Float64Array; // e^{-2πik/N}, k ≤ N/2
  private readonly splitIm: Float64Array;
  private readonly aRe: Float64Array;
  private readonly aIm: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;

  constructor(size: number) {
    if (size % 2 !== 0) throw new Error(`RealFft needs an even size, got ${size}`);
    this.size = size;
    this.half = size / 2;
    this.radices = factorize(this.half);
    this.stageTwiddles = [];
    let n = this.half;
    for (const r of this.radices) {
      const m = n / r;
      const tw = new Float64Array(2 * m * r);
      for (let p = 0; p < m; p++) {
        for (let u = 0; u < r; u++) {
          const a = (-2 * Math.PI * p * u) / n;
          tw[2 * (p * r + u)] = Math.cos(a);
          tw[2 * (p * r + u) + 1] = Math.sin(a);
        }
      }
      this.stageTwiddles.push(tw);
      n = m;
    }
    this.splitRe = new Float64Array(this.half + 1);
    this.splitIm = new Float64Array(this.half + 1);
    for (let k = 0; k <= this.half; k++) {
      this.splitRe[k] = Math.cos((-2 * Math.PI * k) / size);
      this.splitIm[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.aRe = new Float64Array(this.half);
    this.aIm = new Float64Array(this.half);
    this.bRe = new Float64Array(this.half);
    this.bIm = new Float64Array(this.half);
  }

  /** Power spectrum |X[k]|² for k = 0..N/2 of the real input (length N) into out (length N/2+1). */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const h = this.half;
    for (let i = 0; i < h; i++) {
      this.aRe[i] = input[2 * i];
      this.aIm[i] = input[2 * i + 1];
    }
    const [zRe, zIm] = this.complexFft();
    // X[k] = E[k] + w^k O[k], with E = (Z[k] + conj Z[h-k]) / 2 and O = (Z[k] - conj Z[h-k]) / 2i.
    for (let k = 0; k <= h; k++) {
      const k1 = k % h;
      const k2 = (h - k) % h;
      const eRe = 0.5 * (zRe[k1] + zRe[k2]);
      const eIm = 0.5 * (zIm[k1] - zIm[k2]);
      const oRe = 0.5 * (zIm[k1] + zIm[k2]);
      const oIm = -0.5 * (zRe[k1] - zRe[k2]);
      const wr = this.splitRe[k];
      const wi = this.splitIm[k];
      const xRe = eRe + wr * oRe - wi * oIm;
      const xIm = eIm + wr * oIm + wi * oRe;
      out[k] = xRe * xRe + xIm * xIm;
    }
  }

  /** Stockham autosort DIF FFT of (aRe, aIm); returns whichever buffer pair holds the result. */
  private complexFft(): [Float64Array, Float64Array] {
    let xRe = this.aRe, xIm = this.aIm, yRe = this.bRe, yIm = this.bIm;
    let n = this.half;
    let s = 1;
    for (let stage = 0; stage < this.radices.length; stage++) {
      const r = this.radices[stage];
      const m = n / r;
      const tw = this.stageTwiddles[stage];
      for (let p = 0; p < m; p++) {
        for (let q = 0; q < s; q++) {
          butterfly(r, xRe, xIm, q + s * p, s * m, yRe, yIm, q + s * r * p, s, tw, 2 * p * r);
        }
      }
      [xRe, yRe] = [yRe, xRe];
      [xIm, yIm] = [yIm, xIm];
      n = m;
      s *= r;
    }
    return [xRe, xIm];
  }
}

const C3 = -0.5; // cos(2π/3)
const S3 = -Math.sqrt(3) / 2; // sin(-2π/3)
const C5a = Math.cos((2 * Math.PI) / 5);
const C5b = Math.cos((4 * Math.PI) / 5);
const S5a = -Math.sin((2 * Math.PI) / 5);
const S5b = -Math.sin((4 * Math.PI) / 5);

/**
 * y[out + ostride*u] = (Σ_t x[in + istride*t] · ω_r^{tu}) · tw[u] for u < r.
 * Radix 2, 3, 4 and 5 are written out; they are the only factors we plan with.
 */
function butterfly(
  r: number,
  xRe: Float64Array, xIm: Float64Array, i0: number, is: number,
  yRe: Float64Array, yIm: Float64Array, o0: number, os: number,
  tw: Float64Array, t0: number,
): void {
  let r0: number, i0v: number, r1: number, i1v: number, r2 = 0, i2v = 0, r3 = 0, i3v = 0, r4 = 0, i4v = 0;
  const a0r = xRe[i0], a0i = xIm[i0];
  const a1r = xRe[i0 + is], a1i = xIm[i0 + is];
  if (r === 2) {
    r0 = a0r + a1r; i0v = a0i + a1i;
    r1 = a0r - a1r; i1v = a0i - a1i;
  } else if (r === 4) {
    const a2r = xRe[i0 + 2 * is], a2i = xIm[i0 + 2 * is];
    const a3r = xRe[i0 + 3 * is], a3i = xIm[i0 + 3 * is];
    const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
    const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
    r0 = s02r + s13r; i0v = s02i + s13i;
    r1 = d02r + d13i; i1v = d02i - d13r; // ω = -i
    r2 = s02r - s13r; i2v = s02i - s13i;
    r3 = d02r - d13i; i3v = d02i + d13r;
  } else if (r === 3) {
    const a2r = xRe[i0 + 2 * is], a2i = xIm[i0 + 2 * is];
    const sr = a1r + a2r, si = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;
    r0 = a0r + sr; i0v = a0i + si;
    const mr = a0r + C3 * sr, mi = a0i + C3 * si;
    r1 = mr - S3 * di; i1v = mi + S3 * dr;
    r2 = mr + S3 * di; i2v = mi - S3 * dr;
  } else if (r === 5) {
    const a2r = xRe[i0 + 2 * is], a2i = xIm[i0 + 2 * is];
    const a3r = xRe[i0 + 3 * is], a3i = xIm[i0 + 3 * is];
    const a4r = xRe[i0 + 4 * is], a4i = xIm[i0 + 4 * is];
    const s14r = a1r + a4r, s14i = a1i + a4i, d14r = a1r - a4r, d14i = a1i - a4i;
    const s23r = a2r + a3r, s23i = a2i + a3i, d23r = a2r - a3r, d23i = a2i - a3i;
    r0 = a0r + s14r + s23r; i0v = a0i + s14i + s23i;
    const m1r = a0r + C5a * s14r + C5b * s23r, m1i = a0i + C5a * s14i + C5b * s23i;
    const m2r = a0r + C5b * s14r + C5a * s23r, m2i = a0i + C5b * s14i + C5a * s23i;
    // i·(S·d) terms: multiplying by i maps (re, im) → (-im, re).
    const n1r = -(S5a * d14i + S5b * d23i), n1i = S5a * d14r + S5b * d23r;
    const n2r = -(S5b * d14i - S5a * d23i), n2i = S5b * d14r - S5a * d23r;
    r1 = m1r + n1r; i1v = m1i + n1i;
    r4 = m1r - n1r; i4v = m1i - n1i;
    r2 = m2r + n2r; i2v = m2i + n2i;
    r3 = m2r - n2r; i3v = m2i - n2i;
  } else {
    throw new Error(`unsupported radix ${r}`);
  }
  const w = t0, o = o0;
  put(yRe, yIm, o, r0, i0v, tw[w], tw[w + 1]);
  put(yRe, yIm, o + os, r1, i1v, tw[w + 2], tw[w + 3]);
  if (r >= 3) put(yRe, yIm, o + 2 * os, r2, i2v, tw[w + 4], tw[w + 5]);
  if (r >= 4) put(yRe, yIm, o + 3 * os, r3, i3v, tw[w + 6], tw[w + 7]);
  if (r === 5) put(yRe, yIm, o + 4 * os, r4, i4v, tw[w + 8], tw[w + 9]);
}

/** y[i] = v · w (complex). */
function put(yRe: Float64Array, yIm: Float64Array, i: number, vr: number, vi: number, wr: number, wi: number): void {
  yRe[i] = vr * wr - vi * wi;
  yIm[i] = vr * wi + vi * wr;
}

function factorize(n: number): number[] {
  const out: number[] = [];
  for (const r of [4, 2, 3, 5]) {
    while (n % r === 0) { out.push(r); n /= r; }
  }
  if (n !== 1) throw new Error('RealFft: half size must factor into 2, 3, 4 and 5');
  return out;
}
