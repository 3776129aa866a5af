/**
 * Output alignment for the enhance benchmark: every system's output is shifted by its own delay
 * before scoring (SI-SDR, PESQ and STOI all punish a misaligned estimate: a 10 ms lag costs
 * SI-SDR tens of dB). The delay is estimated by FFT cross-correlation of the output with the
 * system's input (the noisy mix, not the clean reference), within ±MAX_LAG samples.
 */
import { Fft } from '../lib/denoise/fft';

export const MAX_LAG = 4000;

/** The lag d (samples) at which y[n + d] best matches x[n]; positive: y trails x. */
export function estimateDelay(x: Float32Array, y: Float32Array, maxLag = MAX_LAG): number {
  let size = 1;
  while (size < Math.max(x.length, y.length) + maxLag + 1) size <<= 1;
  const fft = new Fft(size);
  const bins = size / 2 + 1;
  const xr = new Float64Array(bins), xi = new Float64Array(bins), yr = new Float64Array(bins), yi = new Float64Array(bins);
  const pad = (a: Float32Array) => {
    const p = new Float64Array(size);
    p.set(a.subarray(0, Math.min(a.length, size)));
    return p;
  };
  fft.rfft(pad(x), xr, xi);
  fft.rfft(pad(y), yr, yi);
  // corr[d] = Σ x[n] y[n + d] = irfft(conj(X) · Y)[d] (negative d wrap to the end).
  const cr = new Float64Array(bins), ci = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    cr[k] = xr[k] * yr[k] + xi[k] * yi[k];
    ci[k] = xr[k] * yi[k] - xi[k] * yr[k];
  }
  const corr = new Float64Array(size);
  fft.irfft(cr, ci, corr);
  let best = -Infinity;
  let lag = 0;
  for (let d = -maxLag; d <= maxLag; d++) {
    const c = corr[(d + size) % size];
    if (c > best) {
      best = c;
      lag = d;
    }
  }
  return lag;
}

/** y shifted by `delay` and cut/zero-padded to `length`: out[n] = y[n + delay]. */
export function shift(y: Float32Array, delay: number, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    const i = n + delay;
    if (i >= 0 && i < y.length) out[n] = y[i];
  }
  return out;
}
