/**
 * 16 kHz ↔ 48 kHz (factor 3) for DeepFilterNet3, which runs at 48 kHz while the pipeline decodes at
 * 16 kHz. One linear-phase windowed-sinc low-pass serves both directions, the one
 * scipy.signal.resample_poly(x, 3, 1) designs (firwin(61, 1/3, window=('kaiser', 5.0)), cut at 8 kHz):
 * DeepFilterNet3 is sensitive to what lies around 8 kHz, and with a sharper 7.8 kHz filter it scored
 * 3 dB SI-SDR below its own runtime fed by resample_poly on the same mix (jfk + stationary noise, 5 dB).
 * The convolution is centred, so neither direction delays the signal.
 * Whole arrays at a time: the caller (lib/denoise/deepfilter.ts) resamples blocks whose edges lie
 * in margins it discards, so no filter state crosses calls.
 */
const TAPS = 61;
const HALF = (TAPS - 1) / 2;
/** Cycles per 48 kHz sample: 8 kHz. */
const CUTOFF = 1 / 6;
const BETA = 5;

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for the Kaiser window's range). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** h[k], k = 0..TAPS-1, unit DC gain (firwin's scaling). */
const H: Float64Array = (() => {
  const h = new Float64Array(TAPS);
  let sum = 0;
  for (let k = 0; k < TAPS; k++) {
    const t = k - HALF;
    const sinc = t === 0 ? 2 * CUTOFF : Math.sin(2 * Math.PI * CUTOFF * t) / (Math.PI * t);
    const w = besselI0(BETA * Math.sqrt(1 - (t / HALF) ** 2)) / besselI0(BETA);
    h[k] = sinc * w;
    sum += h[k];
  }
  for (let k = 0; k < TAPS; k++) h[k] /= sum;
  return h;
})();

/** 16 kHz → 48 kHz: zero-stuffed, low-passed, gain 3 (polyphase: only every third input is non-zero). */
export function upsample3(x: Float32Array): Float32Array {
  const y = new Float32Array(x.length * 3);
  for (let m = 0; m < y.length; m++) {
    // y[m] = 3 Σ_j x[j] h[m - 3j + HALF] over the j that keep the tap index inside 0..TAPS-1.
    let acc = 0;
    const jMin = Math.max(0, Math.ceil((m + HALF - (TAPS - 1)) / 3));
    const jMax = Math.min(x.length - 1, Math.floor((m + HALF) / 3));
    for (let j = jMin; j <= jMax; j++) acc += x[j] * H[m - 3 * j + HALF];
    y[m] = 3 * acc;
  }
  return y;
}

/** 48 kHz → 16 kHz: low-passed, every third sample kept. */
export function downsample3(y: Float32Array): Float32Array {
  const x = new Float32Array(Math.floor(y.length / 3));
  for (let n = 0; n < x.length; n++) {
    const c = 3 * n;
    let acc = 0;
    const kMin = Math.max(0, c + HALF - (y.length - 1));
    const kMax = Math.min(TAPS - 1, c + HALF);
    for (let k = kMin; k <= kMax; k++) acc += H[k] * y[c - k + HALF];
    x[n] = acc;
  }
  return x;
}
