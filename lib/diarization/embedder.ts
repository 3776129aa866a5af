/**
 * CAM++ speaker embeddings in onnxruntime-node: 192-d, L2-normalised, so cosine similarity is a dot
 * product. Clips of equal length are batched into one session.run (sliding windows mostly are).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { KaldiFbank } from './fbank';
import { normalizeInPlace } from './vectors';
import { ortSessionOptions, type OrtSessionSettings } from '../onnx/session-options';

export type EmbedderOptions = OrtSessionSettings;

export class SpeakerEmbedder {
  readonly dim: number;
  private readonly fbank = new KaldiFbank(80);

  private constructor(
    private readonly session: ort.InferenceSession,
    dim: number,
    readonly id: string,
  ) {
    this.dim = dim;
  }

  static async load(dir: string, opts: EmbedderOptions = {}): Promise<SpeakerEmbedder> {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { model_id: string; file: string; embedding_dim: number };
    const session = await ort.InferenceSession.create(path.join(dir, manifest.file), ortSessionOptions(opts));
    return new SpeakerEmbedder(session, manifest.embedding_dim, manifest.model_id);
  }

  /** Raw model call on features [n][frames][80]: for the export parity test. */
  async embedFeatures(features: Float32Array, n: number, frames: number): Promise<Float32Array> {
    const out = await this.session.run({ x: new ort.Tensor('float32', features, [n, frames, this.fbank.bins]) });
    return out.embedding.data as Float32Array;
  }

  /**
   * Unit-length embeddings of 16 kHz clips, in order. Clips are grouped by frame count and each group
   * runs as batches of at most `maxBatch`.
   */
  async embed(clips: Float32Array[], maxBatch = 32): Promise<Float32Array[]> {
    const result: Float32Array[] = new Array(clips.length);
    const groups = new Map<number, number[]>();
    clips.forEach((c, i) => {
      const frames = KaldiFbank.frames(c.length);
      if (frames < 1) throw new Error(`clip ${i} is shorter than one 25 ms frame`);
      groups.set(frames, [...(groups.get(frames) ?? []), i]);
    });
    const bins = this.fbank.bins;
    for (const [frames, idx] of groups) {
      for (let b = 0; b < idx.length; b += maxBatch) {
        const batch = idx.slice(b, b + maxBatch);
        const feats = new Float32Array(batch.length * frames * bins);
        batch.forEach((ci, j) => this.fbank.computeCmn(clips[ci], feats, j * frames * bins));
        const emb = await this.embedFeatures(feats, batch.length, frames);
        batch.forEach((ci, j) => (result[ci] = normalizeInPlace(emb.slice(j * this.dim, (j + 1) * this.dim))));
      }
    }
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
