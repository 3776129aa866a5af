/**
 * Kaldi-compatible log mel filterbank (torchaudio.compliance.kaldi.fbank with 80 bins, 25 ms / 10 ms
 * frames, povey window, pre-emphasis 0.97, DC removal, snip edges, no dither): the front end CAM++ was
 * trained on. Matches the numpy reference in docs/research/diarization/fbank.py.
 */
import { RealFft } from '../whisper/fft';

const SAMPLE_RATE = 16_000;
const FRAME = 400; // 25 ms
export const FBANK_SHIFT = 160; // 10 ms
const N_FFT = 512; // Kaldi rounds the frame up to a power of two
const PREEMPH = 0.97;
const LOW_HZ = 20;
const EPS = 1.1920928955078125e-7; // float32 epsilon: Kaldi's log floor

export class KaldiFbank {
  readonly bins: number;
  private readonly fft = new RealFft(N_FFT);
  private readonly window = new Float64Array(FRAME);
  private readonly frame = new Float64Array(N_FFT);
  private readonly power = new Float64Array(N_FFT / 2 + 1);
  /** Per mel bin: first FFT bin and its triangular weights. */
  private readonly filters: Array<{ first: number; weights: Float64Array }>;

  constructor(bins = 80) {
    this.bins = bins;
    for (let i = 0; i < FRAME; i++) this.window[i] = Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1)), 0.85);
    const mel = (f: number) => 1127 * Math.log(1 + f / 700);
    const lo = mel(LOW_HZ);
    const hi = mel(SAMPLE_RATE / 2);
    const delta = (hi - lo) / (bins + 1);
    this.filters = [];
    for (let m = 0; m < bins; m++) {
      const left = lo + m * delta;
      const center = left + delta;
      const right = center + delta;
      const w: number[] = [];
      let first = -1;
      for (let k = 0; k < N_FFT / 2; k++) { // the Nyquist bin gets no weight, as in Kaldi
        const f = mel((k * SAMPLE_RATE) / N_FFT);
        const v = Math.max(0, Math.min((f - left) / (center - left), (right - f) / (right - center)));
        if (v > 0) {
          if (first < 0) first = k;
          w[k - first] = v;
        } else if (first >= 0) break;
      }
      this.filters.push({ first: Math.max(first, 0), weights: Float64Array.from(w, (x) => x ?? 0) });
    }
  }

  /** Number of frames for `samples` samples (snip edges: only whole frames). */
  static frames(samples: number): number {
    return samples < FRAME ? 0 : 1 + Math.floor((samples - FRAME) / FBANK_SHIFT);
  }

  /**
   * Features of `pcm` as [frames][bins] row-major, minus their per-bin mean over the clip (CAM++'s
   * CMN), written into `out` at `offset` (so a batch can be filled in place).
   */
  computeCmn(pcm: Float32Array, out?: Float32Array, offset = 0): Float32Array {
    const n = KaldiFbank.frames(pcm.length);
    const { bins, frame, window, power, filters } = this;
    const dst = out ?? new Float32Array(n * bins);
    const mean = new Float64Array(bins);
    for (let t = 0; t < n; t++) {
      const off = t * FBANK_SHIFT;
      let dc = 0;
      for (let i = 0; i < FRAME; i++) dc += pcm[off + i];
      dc /= FRAME;
      // Pre-emphasis after DC removal; the first sample is emphasised against itself (Kaldi).
      let prev = pcm[off] - dc;
      frame[0] = (prev - PREEMPH * prev) * window[0];
      for (let i = 1; i < FRAME; i++) {
        const cur = pcm[off + i] - dc;
        frame[i] = (cur - PREEMPH * prev) * window[i];
        prev = cur;
      }
      frame.fill(0, FRAME);
      this.fft.powerSpectrum(frame, power);
      const row = offset + t * bins;
      for (let m = 0; m < bins; m++) {
        const { first, weights } = filters[m];
        let e = 0;
        for (let k = 0; k < weights.length; k++) e += weights[k] * power[first + k];
        const v = Math.log(Math.max(e, EPS));
        dst[row + m] = v;
        mean[m] += v;
      }
    }
    if (n > 0) {
      for (let m = 0; m < bins; m++) mean[m] /= n;
      for (let t = 0; t < n; t++) {
        const row = offset + t * bins;
        for (let m = 0; m < bins; m++) dst[row + m] -= mean[m];
      }
    }
    return dst;
  }
}
