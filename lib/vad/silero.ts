/**
 * Silero VAD v5 in onnxruntime-node: speech probability per 512-sample (32 ms) window at 16 kHz.
 * The recurrent state and the 64-sample context carry across calls, so audio can arrive in any
 * chunk sizes (streaming) and give the same result as one long buffer.
 */
import * as ort from 'onnxruntime-node';

export const VAD_WINDOW = 512;
const CONTEXT = 64;
export const VAD_SAMPLE_RATE = 16_000;

export class SileroVad {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(file: string, opts: { intraOpNumThreads?: number } = {}): Promise<SileroVad> {
    const session = await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'], // 2 MB recurrent model: a GPU round trip per 32 ms window costs more than it saves
      intraOpNumThreads: opts.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
    });
    return new SileroVad(session);
  }

  /** A fresh stream: its own state, context and leftover samples. */
  stream(): VadStream {
    return new VadStream(this.session);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export class VadStream {
  private state = new Float32Array(2 * 1 * 128);
  private context = new Float32Array(CONTEXT);
  private pending = new Float32Array(0);
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  private readonly input = new Float32Array(CONTEXT + VAD_WINDOW);

  constructor(private readonly session: ort.InferenceSession) {}

  /** Probabilities for every complete window in `pcm` (plus what was left over from the last call). */
  async push(pcm: Float32Array): Promise<Float32Array> {
    const all = this.pending.length ? concat(this.pending, pcm) : pcm;
    const n = Math.floor(all.length / VAD_WINDOW);
    const probs = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      this.input.set(this.context, 0);
      this.input.set(all.subarray(i * VAD_WINDOW, (i + 1) * VAD_WINDOW), CONTEXT);
      const out = await this.session.run({
        input: new ort.Tensor('float32', this.input, [1, CONTEXT + VAD_WINDOW]),
        state: new ort.Tensor('float32', this.state, [2, 1, 128]),
        sr: this.sr,
      });
      probs[i] = (out.output.data as Float32Array)[0];
      this.state = new Float32Array(out.stateN.data as Float32Array);
      this.context = all.slice((i + 1) * VAD_WINDOW - CONTEXT, (i + 1) * VAD_WINDOW);
    }
    this.pending = all.slice(n * VAD_WINDOW);
    return probs;
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
