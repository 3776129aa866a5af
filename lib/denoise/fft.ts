/**
 * Radix-2 complex FFT for the denoisers' 512-point frames (GTCRN's STFT, DTLN's blocks). Plans
 * (bit reversal, twiddles) are built once per size; transforms work in place on caller buffers.
 */
export class Fft {
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(readonly size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new Error(`Fft needs a power-of-two size, got ${size}`);
    const bits = Math.log2(size);
    this.rev = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  /** numpy.fft.rfft: N real samples in, N/2+1 bins out (unscaled). */
  rfft(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      this.re[this.rev[i]] = input[i];
      this.im[this.rev[i]] = 0;
    }
    this.transform(1);
    for (let k = 0; k <= n / 2; k++) {
      outRe[k] = this.re[k];
      outIm[k] = this.im[k];
    }
  }

  /** numpy.fft.irfft(n=N): N/2+1 bins in (Hermitian-completed), N real samples out, scaled by 1/N. */
  irfft(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const n = this.size;
    const h = n / 2;
    for (let k = 0; k < n; k++) {
      // numpy ignores the imaginary parts of the DC and Nyquist bins.
      const re = k <= h ? inRe[k] : inRe[n - k];
      const im = k === 0 || k === h ? 0 : k < h ? inIm[k] : -inIm[n - k];
      this.re[this.rev[k]] = re;
      this.im[this.rev[k]] = im;
    }
    this.transform(-1);
    for (let i = 0; i < n; i++) out[i] = this.re[i] / n;
  }

  /** Iterative Cooley-Tukey on the bit-reversed buffers; sign -1 is the inverse (conjugate twiddles). */
  private transform(sign: 1 | -1): void {
    const n = this.size;
    const { re, im } = this;
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let j = 0; j < half; j++) {
          const wr = this.cos[j * step];
          const wi = sign * this.sin[j * step];
          const a = start + j;
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
