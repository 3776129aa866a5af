/**
 * The text-embedding contract the rest of the service codes against (POST /v1/embed, transcript
 * vectors, chat retrieval, search). One implementation today: all-MiniLM-L6-v2 in onnxruntime
 * (./minilm.ts), loaded once per worker process by ModelEngines.embedder().
 */
export interface TextEmbedder {
  /** Catalogue id, e.g. 'all-minilm-l6-v2'. */
  readonly id: string;
  /** Vector length (384 for MiniLM). */
  readonly dimensions: number;
  /** Word pieces per text, special tokens included (sentence-transformers' max_seq_length: 256). */
  readonly maxTokens: number;
  /**
   * Unit-length (L2-normalised) vectors in input order, so cosine similarity is a dot product;
   * `truncated[i]` says text i had more than `maxTokens` word pieces and only its start was embedded
   * (what sentence-transformers does).
   */
  embed(texts: string[]): Promise<EmbedResult>;
}

export interface EmbedResult {
  vectors: Float32Array[];
  truncated: boolean[];
}

export const MINILM_ID = 'all-minilm-l6-v2';

/** Cosine similarity of two unit vectors (a dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
