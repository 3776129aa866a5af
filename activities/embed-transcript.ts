/**
 * The embed step of a transcription (gpu queue): embeds the finished transcript's segments
 * (lib/rag/units.ts: one unit per segment, short ones with their neighbours) and stores the vectors
 * next to the transcript as binary Float32 (lib/rag/vector-file.ts). Only the key and counts go
 * back to the workflow: vectors never enter its history.
 */
import { Context } from '@temporalio/activity';
import { workerEmbedder } from '../lib/rag/embedder';
import { makeVectors, readTranscript } from '../lib/rag/transcript-vectors';
import { VECTOR_CONTENT_TYPE } from '../lib/rag/vector-file';
import type { StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface EmbedTranscriptInput {
  transcriptKey: string;
  vectorsKey: string;
}

export interface EmbedTranscriptOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
  /** Vectors stored: one per segment that has text. */
  vectors: number;
  segments: number;
  model: string;
  dimensions: number;
}

export function createEmbedTranscriptActivity({ store, engines, log }: Pick<ActivityDeps, 'store' | 'engines' | 'log'>) {
  return async function embedTranscript(input: EmbedTranscriptInput): Promise<EmbedTranscriptOutput> {
    const ctx = Context.current();
    return withTypedFailures(async () => {
      ctx.heartbeat({ progress: 0 } satisfies StepHeartbeat);
      const transcript = await readTranscript(store, input.transcriptKey);
      const started = Date.now();
      const file = await makeVectors(
        { store, embedder: workerEmbedder(engines), onProgress: (done, total) => ctx.heartbeat({ progress: total ? done / total : 1 } satisfies StepHeartbeat) },
        transcript,
        input.vectorsKey,
      );
      log.info({ key: input.vectorsKey, vectors: file.header.count, ms: Date.now() - started, model: file.header.model }, 'transcript embedded');
      return {
        key: input.vectorsKey,
        contentType: VECTOR_CONTENT_TYPE,
        sizeBytes: file.sizeBytes,
        vectors: file.header.count,
        segments: transcript.segments.length,
        model: file.header.model,
        dimensions: file.header.dimensions,
      };
    });
  };
}
