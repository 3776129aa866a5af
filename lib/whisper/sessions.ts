import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { WhisperManifest } from './manifest';
import { ortSessionOptions, type OrtSessionSettings } from '../onnx/session-options';

export interface SessionOptions extends OrtSessionSettings {
  executionProviders: string[];
  /** encoder.onnx, or encoder_int8.onnx (scripts/models/install-whisper-int8-encoder.sh); same inputs and outputs. */
  encoderFile?: string;
  decoderFile: string;
  /** Called after each graph's session is created, with its file name (the bench traces RSS per graph). */
  onGraphLoaded?: (file: string) => void;
}

/**
 * The encoder and cross-K/V graphs multiply 1500-row activations, so MLAS packing their weights on each run
 * is a small share of the work (one encode 3.0–4.7 s without prepacking, 3.0–4.1 s with, on a loaded machine:
 * within its noise), while the prepacked copies onnxruntime keeps beside the originals cost ~50 MB of RSS
 * (fp32 base encoder loaded: 157 MB instead of 208). The decoder runs 1–5 rows per step, where packing per run
 * made steps 1.5–2× slower (int8 and fp32, beam 5): it keeps prepacking.
 */
function withoutPrepacking(so: ort.InferenceSession.SessionOptions): ort.InferenceSession.SessionOptions {
  const session = { ...((so.extra?.session as Record<string, unknown> | undefined) ?? {}), disable_prepacking: '1' };
  return { ...so, extra: { ...so.extra, session } };
}

/** Cross-attention K/V for one 30 s window, computed once and shared by every decoder step. */
export interface CrossKv {
  k: ort.Tensor;
  v: ort.Tensor;
}

/** Self-attention KV cache of the tokens fed so far. */
export interface SelfKv {
  k: ort.Tensor;
  v: ort.Tensor;
  length: number;
}

export interface DecoderStep {
  /** [nNew][nVocab] row-major. */
  logits: Float32Array;
  /** [nAlignHeads][nNew][nAudioCtx] row-major, softmax over all 1500 audio positions. */
  attn: Float32Array;
  cache: SelfKv;
}

/** The three graphs of a converted model, one InferenceSession each, created once. */
export class WhisperSessions {
  /** Scratch of reorderCache: one layer of the self KV cache, all beams. */
  private reorderBuf?: Float32Array;

  private constructor(
    private readonly m: WhisperManifest,
    private readonly encoder: ort.InferenceSession,
    private readonly crossKv: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
  ) {}

  static async create(dir: string, m: WhisperManifest, opts: SessionOptions): Promise<WhisperSessions> {
    const so = ortSessionOptions(opts);
    // Sequential creation: each load is CPU-heavy and parallel creation only contends.
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const [f, o] of [[opts.encoderFile ?? 'encoder.onnx', withoutPrepacking(so)], ['decoder_cross_kv.onnx', withoutPrepacking(so)], [opts.decoderFile, so]] as const) {
        sessions.push(await ort.InferenceSession.create(path.join(dir, f), o));
        opts.onGraphLoaded?.(f);
      }
    } catch (err) {
      await Promise.all(sessions.map((s) => s.release()));
      throw err;
    }
    return new WhisperSessions(m, sessions[0], sessions[1], sessions[2]);
  }

  /** `frames` below n_frames only with graphs of a dynamic audio length (manifest audio_ctx 'dynamic'). */
  async encode(mel: Float32Array, frames = this.m.dims.n_frames): Promise<CrossKv> {
    const { n_mels } = this.m.dims;
    const enc = await this.encoder.run({ mel: new ort.Tensor('float32', mel, [1, n_mels, frames]) });
    const kv = await this.crossKv.run({ encoder_hidden_states: enc.encoder_hidden_states });
    return { k: kv.cross_k, v: kv.cross_v };
  }

  emptyCache(): SelfKv {
    const { n_text_layer: L, n_text_head: H, head_dim: hd } = this.m.dims;
    const z = new ort.Tensor('float32', new Float32Array(0), [L, 1, H, 0, hd]);
    return { k: z, v: z, length: 0 };
  }

  /**
   * Feeds only the new tokens; the cache carries everything before them. With `batch` > 1, `tokens` holds
   * `batch` rows of equal length back to back and the cache has that batch size (beam search, see
   * reorderCache), while the window's cross K/V stays at batch 1: the graph's cross-attention MatMuls
   * broadcast it over the beams (same results as a repeated copy, which would cost ~185 MB at beam 5 for base).
   */
  async step(tokens: readonly number[], cache: SelfKv, cross: CrossKv, batch = 1): Promise<DecoderStep> {
    const out = await this.decoder.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [batch, tokens.length / batch]),
      offset: new ort.Tensor('int64', BigInt64Array.of(BigInt(cache.length)), []),
      self_k_cache: cache.k,
      self_v_cache: cache.v,
      cross_k: cross.k,
      cross_v: cross.v,
    });
    return {
      logits: out.logits.data as Float32Array,
      attn: out.cross_attn_weights.data as Float32Array,
      // Positions advance by the tokens of ONE sequence: with beams, `tokens` holds every beam's.
      cache: { k: out.new_self_k_cache, v: out.new_self_v_cache, length: cache.length + tokens.length / batch },
    };
  }

  /**
   * The cache rows each surviving beam continues from: row j of the result is row sources[j] of `cache`
   * (beam search keeps, drops and duplicates beams every step). Returns the cache itself when nothing moved.
   * With the batch size unchanged the rows are permuted in place (the cache is this session's own output,
   * consumed by the next step only), through one layer's worth of scratch, so a step allocates nothing.
   */
  reorderCache(cache: SelfKv, sources: readonly number[]): SelfKv {
    const [L, B, H, n, hd] = cache.k.dims;
    if (sources.length === B && sources.every((s, i) => s === i)) return cache;
    const block = H * n * hd; // one beam's keys (or values) of one layer, contiguous
    const layer = sources.length * block;
    if (!this.reorderBuf || this.reorderBuf.length < layer) this.reorderBuf = new Float32Array(layer);
    const scratch = this.reorderBuf;
    const inPlace = sources.length === B;
    const pick = (t: ort.Tensor) => {
      const src = t.data as Float32Array;
      const out = inPlace ? src : new Float32Array(L * layer);
      for (let l = 0; l < L; l++) {
        for (let j = 0; j < sources.length; j++) {
          const from = (l * B + sources[j]) * block;
          scratch.set(src.subarray(from, from + block), j * block);
        }
        out.set(scratch.subarray(0, layer), l * layer);
      }
      return inPlace ? t : new ort.Tensor('float32', out, [L, sources.length, H, n, hd]);
    };
    return { k: pick(cache.k), v: pick(cache.v), length: cache.length };
  }

  async release(): Promise<void> {
    this.reorderBuf = undefined;
    await Promise.all([this.encoder.release(), this.crossKv.release(), this.decoder.release()]);
  }
}
