import { RealFft } from './fft';
import { melFilters, type MelFilter } from './mel-filters';

export const SAMPLE_RATE = 16_000;
export const N_FFT = 400;
export const HOP_LENGTH = 160;
export const CHUNK_SAMPLES = 30 * SAMPLE_RATE; // 480000: the encoder always sees 30 s
export const N_FRAMES = CHUNK_SAMPLES / HOP_LENGTH; // 3000

/**
 * openai-whisper's log_mel_spectrogram on pad_or_trim(audio): 30 s window, centred STFT with reflect
 * padding, periodic Hann, power spectrum, Slaney mel filters, log10 with a dynamic-range floor of 8 decades
 * below the peak, then (x + 4) / 4. Output is [nMels][3000] row-major, ready for the encoder's `mel` input.
 * Holds scratch buffers, so one instance must not be used concurrently (it is synchronous anyway).
 */
export class LogMel {
  readonly nMels: number;
  private readonly fft = new RealFft(N_FFT);
  private readonly filters: MelFilter[];
  private readonly window = new Float64Array(N_FFT);
  private readonly padded = new Float32Array(CHUNK_SAMPLES + N_FFT);
  private readonly frame = new Float64Array(N_FFT);
  private readonly power = new Float64Array(N_FFT / 2 + 1);

  constructor(nMels = 80) {
    this.nMels = nMels;
    this.filters = melFilters(SAMPLE_RATE, N_FFT, nMels);
    // torch.hann_window(N_FFT) is periodic: denominator N, not N - 1.
    for (let i = 0; i < N_FFT; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N_FFT);
  }

  /**
   * `frames` < 3000 computes only the first frames (a trimmed window for graphs that accept one, see
   * WhisperModel's trimWindow): the values are those of the full window's first frames, as the padding
   * past the audio never holds the peak the floor is taken from.
   */
  compute(pcm: Float32Array, out?: Float32Array, frames = N_FRAMES): Float32Array {
    out ??= new Float32Array(this.nMels * frames);
    this.fillPadded(pcm);
    const { nMels, filters, frame, power, window, padded } = this;
    let max = -Infinity;
    for (let t = 0; t < frames; t++) { // the 3001st frame is dropped, like stft[..., :-1]
      const off = t * HOP_LENGTH;
      for (let i = 0; i < N_FFT; i++) frame[i] = padded[off + i] * window[i];
      this.fft.powerSpectrum(frame, power);
      for (let m = 0; m < nMels; m++) {
        const { start, weights } = filters[m];
        let acc = 0;
        for (let j = 0; j < weights.length; j++) acc += weights[j] * power[start + j];
        const v = Math.log10(Math.max(acc, 1e-10));
        out[m * frames + t] = v;
        if (v > max) max = v;
      }
    }
    const floor = max - 8;
    for (let i = 0; i < out.length; i++) out[i] = (Math.max(out[i], floor) + 4) / 4;
    return out;
  }

  /** pad_or_trim to 30 s, then reflect-pad N_FFT/2 on both sides (torch.stft center=True). */
  private fillPadded(pcm: Float32Array): void {
    const half = N_FFT / 2;
    const p = this.padded;
    p.fill(0);
    const n = Math.min(pcm.length, CHUNK_SAMPLES);
    p.set(pcm.subarray(0, n), half);
    // Reflection excludes the edge sample; the signal here is the zero-padded 30 s one.
    const sig = (i: number): number => (i < n ? pcm[i] : 0);
    for (let i = 1; i <= half; i++) {
      p[half - i] = sig(i);
      p[half + CHUNK_SAMPLES - 1 + i] = sig(CHUNK_SAMPLES - 1 - i);
    }
  }
}
