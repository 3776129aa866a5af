/**
 * The summarize step (gpu queue): summarizes the stored text on the worker's LLM (one pass or
 * map-reduce, lib/llm/summarize.ts). Intermediate summaries go to storage as they are made, so a
 * retried attempt resumes; only keys and counts return to the workflow.
 */
import { text as readText } from 'node:stream/consumers';
import { summarizeText, type SummaryParts } from '../lib/llm/summarize';
import type { SummaryStyle, TextStepSummary } from '../workflows/model';
import { summarizePartKey } from '../workflows/text-keys';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, type TextStepIo } from './text-step';

export interface SummarizeStepInput extends TextStepIo {
  jobId: string;
  style: SummaryStyle;
}

export type SummarizeStepOutput = StoredOutput & TextStepSummary;

export interface SummaryDocument {
  summary: string;
  style: SummaryStyle;
  model: string;
}

export function createSummarizeActivity({ config, store, engines }: ActivityDeps) {
  return async function summarize(input: SummarizeStepInput): Promise<SummarizeStepOutput> {
    return runTextStep<SummaryDocument>({ store, engines }, input, async ({ input: body, llm, progress, signal }) => {
      const model = await llm();
      const parts: SummaryParts = {
        get: async (round, index) => {
          const key = summarizePartKey(input.jobId, round, index);
          return (await store.stat(key)) ? readText(await store.get(key)) : undefined;
        },
        put: async (round, index, text) => void (await store.put(summarizePartKey(input.jobId, round, index), text, { contentType: 'text/plain; charset=utf-8' })),
      };
      const outcome = await summarizeText(model, body, input.style, { chunkTokens: config.llm.chunkTokens, briefSelect: config.llm.briefSelect, parts, signal, onProgress: progress });
      return {
        doc: { summary: outcome.summary, style: input.style, model: model.id },
        summary: { model: model.id, style: input.style, chunks: outcome.chunks, promptTokens: outcome.promptTokens, outputTokens: outcome.outputTokens },
      };
    });
  };
}
