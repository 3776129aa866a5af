/**
 * The embed step (gpu queue) of POST /v1/embed: reads the stored JSON array of texts, embeds it on the
 * worker's sentence embedder (lib/embeddings/, loaded once per process) in sub-batches with a heartbeat
 * after each, and stores {"model", "dimensions", "truncated", "embeddings"}; the workflow gets its key.
 */
import type { TextEmbedder } from '../lib/embeddings/embedder';
import { EmbeddingModelNotInstalledError } from '../lib/models/registry';
import type { TextStepSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, type TextStepIo } from './text-step';

/** Texts per embed() call between progress heartbeats (the embedder batches 32 at a time inside). */
const PROGRESS_EVERY = 64;

export type EmbedStepInput = TextStepIo & {
  /** A recipe's embed step: the document also holds the texts, so each vector says what it is of. */
  includeTexts?: boolean;
};
export type EmbedStepOutput = StoredOutput & TextStepSummary;

export interface EmbeddingsDocument {
  model: string;
  dimensions: number;
  truncated: boolean[];
  embeddings: number[][];
  /** `includeTexts`: the text each vector is of (same order). */
  texts?: string[];
}

export function createEmbedActivity({ store, engines }: ActivityDeps) {
  return async function embed(input: EmbedStepInput): Promise<EmbedStepOutput> {
    return runTextStep<EmbeddingsDocument>({ store, engines }, input, async ({ input: body, progress }) => {
      const texts = JSON.parse(body) as string[];
      if (!engines?.embedder) throw new EmbeddingModelNotInstalledError();
      const embedder: TextEmbedder = await engines.embedder();
      const embeddings: number[][] = [];
      const truncated: boolean[] = [];
      for (let i = 0; i < texts.length; i += PROGRESS_EVERY) {
        const r = await embedder.embed(texts.slice(i, i + PROGRESS_EVERY));
        for (const v of r.vectors) embeddings.push(Array.from(v));
        truncated.push(...r.truncated);
        progress((i + r.vectors.length) / texts.length);
      }
      return {
        doc: { model: embedder.id, dimensions: embedder.dimensions, truncated, embeddings, ...(input.includeTexts ? { texts } : {}) },
        // `chunks`: texts embedded; `promptTokens` has no meaning for an encoder and stays 0.
        summary: { model: embedder.id, style: 'mean-pooled, L2-normalized', chunks: texts.length, promptTokens: 0, outputTokens: 0 },
      };
    });
  };
}
