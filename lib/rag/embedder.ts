/**
 * The text embedder RAG works with (lib/embeddings/embedder.ts TextEmbedder: L2-normalized vectors,
 * so a dot product is a cosine), as the gpu worker's ModelEngines loads it.
 */
import type { TextEmbedder } from '../embeddings/embedder';
import { EmbeddingModelNotInstalledError } from '../models/registry';

export type RagEmbedder = TextEmbedder;

/** The gpu worker's embedder, loaded on first use (ModelEngines.embedder); a typed not-installed error without one. */
export function workerEmbedder(engines: unknown): () => Promise<RagEmbedder> {
  return async () => {
    const get = (engines as { embedder?: () => Promise<RagEmbedder> } | undefined)?.embedder;
    if (!get) throw new EmbeddingModelNotInstalledError();
    return get.call(engines);
  };
}
