/**
 * Silero VAD v5 in onnxruntime-node: speech probability per 512-sample (32 ms) window at 16 kHz.
 * The recurrent state and the 64-sample context carry across calls, so audio can arrive in any
 * chunk sizes (streaming) and give the same result as one long buffer.
 */
import * as ort from 'onnxruntime-node';

export const VAD_WINDOW = 512;
const CONTEXT = 64;
export const VAD_SAMPLE_RATE = 16_000;
/**
 * Windows of digital silence (every sample under one 16-bit step) in a row after which the model is no
 * longer run (30 s): muted or zero-padded stretches are hours long in some recordings and cost 0.4 ms
 * per 32 ms window for a probability near 1e-3. Speech after such a stretch starts from a fresh state,
 * as at the start of a file. Shorter gaps (pauses padded with zeros) run the model as always.
 */
export const SILENT_WINDOWS_BEFORE_SKIP = 938;
const ONE_LSB = 1 / 32768;

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
  private silentRun = 0;
  /** The model is not being run: a long stretch of digital silence is in progress. */
  private skipping = false;

  constructor(private readonly session: ort.InferenceSession) {}

  /** Probabilities for every complete window in `pcm` (plus what was left over from the last call). */
  async push(pcm: Float32Array): Promise<Float32Array> {
    const all = this.pending.length ? concat(this.pending, pcm) : pcm;
    const n = Math.floor(all.length / VAD_WINDOW);
    const probs = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const window = all.subarray(i * VAD_WINDOW, (i + 1) * VAD_WINDOW);
      this.silentRun = isDigitalSilence(window) ? this.silentRun + 1 : 0;
      if (this.silentRun > SILENT_WINDOWS_BEFORE_SKIP) {
        probs[i] = 0;
        this.skipping = true;
        continue;
      }
      if (this.skipping) this.restart(); // the first window after a skipped stretch
      this.input.set(this.context, 0);
      this.input.set(window, CONTEXT);
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

  private restart(): void {
    this.state = new Float32Array(2 * 1 * 128);
    this.context = new Float32Array(CONTEXT);
    this.skipping = false;
  }
}

function isDigitalSilence(w: Float32Array): boolean {
  for (let i = 0; i < w.length; i++) if (w[i] >= ONE_LSB || w[i] <= -ONE_LSB) return false;
  return true;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
