/**
 * The text embedder RAG works with: the shape of lib/embeddings/embedder.ts TextEmbedder (written
 * structurally so lib/rag compiles on its own), L2-normalized vectors, so a dot product is a cosine.
 */
export interface RagEmbedder {
  readonly id: string;
  readonly dimensions: number;
  readonly maxTokens: number;
  embed(texts: string[]): Promise<{ vectors: Float32Array[]; truncated: boolean[] }>;
}

/** The gpu worker's embedder, loaded on first use (ModelEngines.embedder); throws its typed not-installed error. */
export function workerEmbedder(engines: unknown): () => Promise<RagEmbedder> {
  return () => {
    const get = (engines as { embedder?: () => Promise<RagEmbedder> } | undefined)?.embedder;
    if (!get) throw new Error('this worker has no text embedder');
    return get.call(engines);
  };
}
