/**
 * The generate step (gpu queue): writes one of the ten generation types from the stored text on the
 * worker's LLM (lib/llm/generate.ts). Per-chunk results go to storage as they are made, so a retried
 * attempt resumes; only keys and counts return to the workflow.
 */
import { ApplicationFailure } from '@temporalio/common';
import { generateContent, GenerationError, type GeneratedContent } from '../lib/llm/generate';
import { StructuredOutputError } from '../lib/llm/json-schema';
import { FailureType, type GenerationType, type TextStepSummary } from '../workflows/model';
import { textPartKey, textPartsPrefix } from '../workflows/text-keys';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, storedParts, type TextStepIo } from './text-step';

export interface GenerateStepInput extends TextStepIo {
  jobId: string;
  type: GenerationType;
}

export type GenerateStepOutput = StoredOutput & TextStepSummary;

/** The stored result; the API answers it as is: {"type", "content", "model"}. */
export interface GenerationDocument {
  type: GenerationType;
  /** Markdown for the prose types; a JSON list for flashcards, quiz, chapter_markers and key_quotes. */
  content: GeneratedContent;
  model: string;
}

/** Chunk results (round 0) under the shared part keys; condensed notes of later rounds beside them. */
const partKey = (jobId: string, round: number, index: number) =>
  round === 0 ? textPartKey(jobId, 'generate', index) : `${textPartsPrefix(jobId, 'generate')}round${round}-${String(index).padStart(5, '0')}.json`;

export function createGenerateActivity({ config, store, engines }: ActivityDeps) {
  return async function generate(input: GenerateStepInput): Promise<GenerateStepOutput> {
    return runTextStep<GenerationDocument>({ store, engines }, input, async ({ input: body, llm, progress, signal }) => {
      const model = await llm();
      const rounds = new Map<number, ReturnType<typeof storedParts<unknown>>>();
      const round = (r: number) => rounds.get(r) ?? rounds.set(r, storedParts<unknown>(store, (i) => partKey(input.jobId, r, i))).get(r)!;
      try {
        const outcome = await generateContent(model, body, input.type, {
          chunkTokens: config.llm.chunkTokens,
          parts: { get: (r, i) => round(r).get(i), put: (r, i, v) => round(r).put(i, v) },
          signal,
          onProgress: progress,
        });
        return {
          doc: { type: input.type, content: outcome.content, model: model.id },
          summary: { model: model.id, style: input.type, chunks: outcome.chunks, promptTokens: outcome.promptTokens, outputTokens: outcome.outputTokens },
        };
      } catch (err) {
        // Greedy decoding gives the same answer on every attempt: retrying would only spend the time again.
        if (err instanceof GenerationError || err instanceof StructuredOutputError) {
          throw ApplicationFailure.create({ type: FailureType.Internal, message: err.message, nonRetryable: true });
        }
        throw err;
      }
    });
  };
}
