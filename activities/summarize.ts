/**
 * The summarize step (gpu queue): reads the text from storage, summarizes it on the worker's LLM
 * (one pass or map-reduce, lib/llm/summarize.ts) and stores the result document. Intermediate
 * summaries go to storage as they are made, so a retried attempt resumes; only keys and counts
 * return to the workflow.
 */
import { text as readText } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { summarizeText, type SummaryParts } from '../lib/llm/summarize';
import type { StepHeartbeat, SummaryStyle, TextStepSummary } from '../workflows/model';
import { summarizePartKey } from '../workflows/text-keys';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { withTypedFailures } from './failures';

export interface SummarizeStepInput {
  jobId: string;
  /** The text to summarize (uploads/<id>/source.txt). */
  textKey: string;
  style: SummaryStyle;
  outputKey: string;
}

export type SummarizeStepOutput = StoredOutput & TextStepSummary;

/** Progress heartbeats at most this often; the same beat also runs on a timer (see below). */
const HEARTBEAT_EVERY_MS = 1000;
const KEEPALIVE_MS = 5000;

export interface SummaryDocument {
  summary: string;
  style: SummaryStyle;
  model: string;
}

export function createSummarizeActivity({ config, store, engines }: ActivityDeps) {
  return async function summarize(input: SummarizeStepInput): Promise<SummarizeStepOutput> {
    const ctx = Context.current();
    let progress = 0;
    let last = 0;
    const beat = (force = false) => {
      const now = Date.now();
      if (force || now - last >= HEARTBEAT_EVERY_MS) {
        last = now;
        ctx.heartbeat({ progress } satisfies StepHeartbeat);
      }
    };
    // Evaluating a long prompt yields no token for tens of seconds on a CPU; generation runs on
    // llama.cpp's threads, so this process stays responsive and a timer keeps its heartbeat going.
    // A stuck generation is still bounded: by its output-token limit and its context size.
    const keepalive = setInterval(() => beat(true), KEEPALIVE_MS);
    try {
      return await withTypedFailures(async () => {
        beat(true);
        if (!engines?.llm) throw new Error('this worker has no LLM runtime');
        const model = await engines.llm();
        const body = await readText(await store.get(input.textKey));
        const parts: SummaryParts = {
          get: async (round, index) => {
            const key = summarizePartKey(input.jobId, round, index);
            return (await store.stat(key)) ? readText(await store.get(key)) : undefined;
          },
          put: async (round, index, text) => void (await store.put(summarizePartKey(input.jobId, round, index), text, { contentType: 'text/plain; charset=utf-8' })),
        };
        const outcome = await summarizeText(model, body, input.style, {
          chunkTokens: config.llm.chunkTokens,
          parts,
          signal: ctx.cancellationSignal,
          onProgress: (p) => {
            progress = p;
            beat();
          },
        });
        const doc: SummaryDocument = { summary: outcome.summary, style: input.style, model: model.id };
        const info = await store.put(input.outputKey, JSON.stringify(doc), { contentType: 'application/json' });
        progress = 1;
        beat(true);
        return {
          key: input.outputKey,
          contentType: 'application/json',
          sizeBytes: info.size,
          model: model.id,
          style: input.style,
          chunks: outcome.chunks,
          promptTokens: outcome.promptTokens,
          outputTokens: outcome.outputTokens,
        };
      });
    } finally {
      clearInterval(keepalive);
    }
  };
}
