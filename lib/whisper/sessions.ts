import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { WhisperManifest } from './manifest';

export interface SessionOptions {
  executionProviders: string[];
  intraOpNumThreads?: number;
  decoderFile: string;
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
  private constructor(
    private readonly m: WhisperManifest,
    private readonly encoder: ort.InferenceSession,
    private readonly crossKv: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
  ) {}

  static async create(dir: string, m: WhisperManifest, opts: SessionOptions): Promise<WhisperSessions> {
    const so: ort.InferenceSession.SessionOptions = {
      executionProviders: opts.executionProviders,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads, interOpNumThreads: 1 } : {}),
    };
    // Sequential creation: each load is CPU-heavy and parallel creation only contends.
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const f of ['encoder.onnx', 'decoder_cross_kv.onnx', opts.decoderFile]) {
        sessions.push(await ort.InferenceSession.create(path.join(dir, f), so));
      }
    } catch (err) {
      await Promise.all(sessions.map((s) => s.release()));
      throw err;
    }
    return new WhisperSessions(m, sessions[0], sessions[1], sessions[2]);
  }

  async encode(mel: Float32Array): Promise<CrossKv> {
    const { n_mels, n_frames } = this.m.dims;
    const enc = await this.encoder.run({ mel: new ort.Tensor('float32', mel, [1, n_mels, n_frames]) });
    const kv = await this.crossKv.run({ encoder_hidden_states: enc.encoder_hidden_states });
    return { k: kv.cross_k, v: kv.cross_v };
  }

  emptyCache(): SelfKv {
    const { n_text_layer: L, n_text_head: H, head_dim: hd } = this.m.dims;
    const z = new ort.Tensor('float32', new Float32Array(0), [L, 1, H, 0, hd]);
    return { k: z, v: z, length: 0 };
  }

  /** Feeds only the new tokens; the cache carries everything before them. */
  async step(tokens: readonly number[], cache: SelfKv, cross: CrossKv): Promise<DecoderStep> {
    const out = await this.decoder.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [1, tokens.length]),
      offset: new ort.Tensor('int64', BigInt64Array.of(BigInt(cache.length)), []),
      self_k_cache: cache.k,
      self_v_cache: cache.v,
      cross_k: cross.k,
      cross_v: cross.v,
    });
    return {
      logits: out.logits.data as Float32Array,
      attn: out.cross_attn_weights.data as Float32Array,
      cache: { k: out.new_self_k_cache, v: out.new_self_v_cache, length: cache.length + tokens.length },
    };
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.crossKv.release(), this.decoder.release()]);
  }
}
