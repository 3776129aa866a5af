/**
 * all-MiniLM-L6-v2 in onnxruntime-node (scripts/models/install-embeddings.sh): BERT word pieces →
 * last_hidden_state → mean pooling over the attention mask → L2 norm, as sentence-transformers does.
 * Texts are sorted by length and padded per batch, long and short apart (a short text never pays for a long
 * one), and the event loop gets a turn between batches (a session.run holds the thread).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ortSessionOptions, type OrtSessionSettings } from '../onnx/session-options';
import type { EmbedResult, TextEmbedder } from './embedder';
import { meanPoolNormalized } from './pooling';
import { WordPieceTokenizer, type Encoded } from './tokenizer';

export interface MiniLmOptions extends OrtSessionSettings {
  /** Texts per session.run; 32 is sentence-transformers' default encode batch size. */
  batchSize?: number;
}

interface Manifest {
  model_id: string;
  file: string;
  tokenizer: string;
  dimensions: number;
  max_tokens: number;
}

export class OnnxTextEmbedder implements TextEmbedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: WordPieceTokenizer,
    readonly id: string,
    readonly dimensions: number,
    readonly maxTokens: number,
    private readonly batchSize: number,
  ) {}

  static async load(dir: string, opts: MiniLmOptions = {}): Promise<OnnxTextEmbedder> {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const tokenizer = WordPieceTokenizer.load(path.join(dir, m.tokenizer), m.max_tokens);
    const session = await ort.InferenceSession.create(path.join(dir, m.file), ortSessionOptions(opts));
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
      if (!session.inputNames.includes(name)) throw new Error(`embedding model ${m.model_id} has no input '${name}'`);
    }
    return new OnnxTextEmbedder(session, tokenizer, m.model_id, m.dimensions, m.max_tokens, Math.max(1, opts.batchSize ?? 32));
  }

  async embed(texts: string[]): Promise<EmbedResult> {
    const encoded = texts.map((t) => this.tokenizer.encode(t));
    const vectors: Float32Array[] = new Array(texts.length);
    for (const [n, idx] of batchesByLength(encoded.map((e) => e.ids.length), this.batchSize).entries()) {
      if (n > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const pooled = await this.runBatch(idx.map((i) => encoded[i]));
      idx.forEach((i, j) => (vectors[i] = pooled[j]));
    }
    return { vectors, truncated: encoded.map((e) => e.truncated) };
  }

  private async runBatch(batch: Encoded[]): Promise<Float32Array[]> {
    const n = batch.length;
    const seq = Math.max(...batch.map((e) => e.ids.length));
    const ids = new BigInt64Array(n * seq); // [PAD] is id 0
    const mask = new BigInt64Array(n * seq);
    batch.forEach((e, b) => {
      for (let t = 0; t < e.ids.length; t++) {
        ids[b * seq + t] = BigInt(e.ids[t]);
        mask[b * seq + t] = 1n;
      }
    });
    const dims = [n, seq];
    const out = await this.session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(n * seq), dims),
    });
    const hidden = out.last_hidden_state;
    if (!hidden || hidden.dims[2] !== this.dimensions) throw new Error(`embedding model ${this.id}: unexpected last_hidden_state ${hidden?.dims}`);
    return meanPoolNormalized(hidden.data as Float32Array, mask, n, seq, this.dimensions);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Text indices grouped into batches: longest first (as sentence-transformers' encode() sorts), at most
 * `size` per batch, and a new batch whenever a text is under half the batch's longest — every text is
 * padded to its batch's longest, and the cost grows with padded tokens (measured on the 62 fixture
 * sentences, one thread: 6.6 s of CPU in plain sorted batches of 32, whose first padded 30 short texts
 * to the two 256-piece ones; 1.0 s grouped this way, same vectors).
 */
export function batchesByLength(lengths: number[], size: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a]);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    if (current.length && (current.length >= size || lengths[i] * 2 < lengths[current[0]])) {
      batches.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length) batches.push(current);
  return batches;
}
