/**
 * librosa.filters.mel(sr, n_fft, n_mels) with Slaney mel scale and Slaney area normalization,
 * which is exactly what openai-whisper's mel_filters.npz holds. Computed rather than shipped.
 */

const F_SP = 200 / 3; // Hz per mel below 1 kHz (linear part of the Slaney scale)
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** One triangular filter, stored sparsely: weights for FFT bins [start, start + weights.length). */
export interface MelFilter {
  start: number;
  weights: Float32Array;
}

/** Dense [nMels][nFft/2+1] matrix, row-major (float32 like librosa's default dtype). */
export function melFilterMatrix(sampleRate: number, nFft: number, nMels: number): Float32Array {
  const nBins = Math.floor(nFft / 2) + 1;
  const fftFreqs = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) fftFreqs[k] = (k * sampleRate) / nFft; // np.fft.rfftfreq
  const maxMel = hzToMel(sampleRate / 2);
  const melF = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHz((maxMel * i) / (nMels + 1));
  const out = new Float32Array(nMels * nBins);
  for (let m = 0; m < nMels; m++) {
    const lowWidth = melF[m + 1] - melF[m];
    const highWidth = melF[m + 2] - melF[m + 1];
    const enorm = 2 / (melF[m + 2] - melF[m]);
    for (let k = 0; k < nBins; k++) {
      const lower = (fftFreqs[k] - melF[m]) / lowWidth;
      const upper = (melF[m + 2] - fftFreqs[k]) / highWidth;
      out[m * nBins + k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
  }
  return out;
}

/** Sparse form of melFilterMatrix: each filter only touches a handful of bins. */
export function melFilters(sampleRate: number, nFft: number, nMels: number): MelFilter[] {
  const nBins = Math.floor(nFft / 2) + 1;
  const dense = melFilterMatrix(sampleRate, nFft, nMels);
  const filters: MelFilter[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = dense.subarray(m * nBins, (m + 1) * nBins);
    let start = row.findIndex((w) => w > 0);
    let end = nBins - 1;
    while (end > 0 && row[end] <= 0) end--;
    if (start < 0) { start = 0; end = -1; } // empty filter (can happen with many mels and a small FFT)
    filters.push({ start, weights: row.slice(start, end + 1) });
  }
  return filters;
}
