/**
 * The analyze step (gpu queue): analyses the stored text on the worker's LLM (lib/llm/analyze.ts),
 * one chunk at a time, each chunk's result kept in storage so a retried attempt resumes; only the
 * key and counts return to the workflow.
 */
import { analyzeText } from '../lib/llm/analyze';
import type { AnalysisType, TextStepSummary } from '../workflows/model';
import { textPartKey } from '../workflows/text-keys';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, storedParts, type TextStepIo } from './text-step';

export interface AnalyzeStepInput extends TextStepIo {
  jobId: string;
  type: AnalysisType;
}

export type AnalyzeStepOutput = StoredOutput & TextStepSummary;

/** The stored result and the API's answer: {"type", "result", "model"}. */
export interface AnalysisDocument {
  type: AnalysisType;
  result: unknown;
  model: string;
}

export function createAnalyzeActivity({ config, store, engines }: ActivityDeps) {
  return async function analyze(input: AnalyzeStepInput): Promise<AnalyzeStepOutput> {
    return runTextStep<AnalysisDocument>({ store, engines }, input, async ({ input: text, llm, progress, signal }) => {
      const model = await llm();
      const parts = storedParts<unknown>(store, (i) => textPartKey(input.jobId, 'analyze', i));
      const outcome = await analyzeText(model, text, input.type, { chunkTokens: config.llm.chunkTokens, parts, signal, onProgress: progress });
      return {
        doc: { type: input.type, result: outcome.result, model: model.id },
        summary: { model: model.id, style: input.type, chunks: outcome.chunks, promptTokens: outcome.promptTokens, outputTokens: outcome.outputTokens },
      };
    });
  };
}
