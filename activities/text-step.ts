/**
 * The frame every text step's activity runs in (summarize, analyze, generate, translate): reads the
 * stored input, heartbeats while the model works, stores the result document and returns only its
 * key and a few counts to the workflow. Retry-resume state (chunk results) is the step's own, in
 * storage under its job's prefix.
 */
import { text as readText } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import type { LlmModel } from '../lib/llm/types';
import type { StepHeartbeat, TextStepSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { withTypedFailures } from './failures';

/** Progress heartbeats at most this often; the same beat also runs on a timer (see below). */
const HEARTBEAT_EVERY_MS = 1000;
const KEEPALIVE_MS = 5000;

export interface TextStepIo {
  /** The stored input: uploads/<id>/source.txt (or .json for a batch). */
  textKey: string;
  outputKey: string;
}

export interface TextStepContext {
  /** The stored input, read whole (bounded by VOXFLOW_TEXT_MAX_CHARS at the API). */
  input: string;
  /** The worker's LLM, loaded on first use (a step that needs no LLM, such as Apertium translation, never loads it). */
  llm(): Promise<LlmModel>;
  /** 0..1 within the step. */
  progress(p: number): void;
  signal: AbortSignal;
}

/** What a step's work returns: the document stored at `outputKey`, and the facts for the job view. */
export interface TextStepWork<D> {
  doc: D;
  summary: TextStepSummary;
}

export async function runTextStep<D>(
  { store, engines }: Pick<ActivityDeps, 'store' | 'engines'>,
  io: TextStepIo,
  work: (c: TextStepContext) => Promise<TextStepWork<D>>,
): Promise<StoredOutput & TextStepSummary> {
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
      const llm = () => {
        if (!engines?.llm) throw new Error('this worker has no LLM runtime');
        return engines.llm();
      };
      const input = await readText(await store.get(io.textKey));
      const { doc, summary } = await work({
        input,
        llm,
        signal: ctx.cancellationSignal,
        progress: (p) => {
          progress = Math.max(progress, Math.min(0.99, p));
          beat();
        },
      });
      const info = await store.put(io.outputKey, JSON.stringify(doc), { contentType: 'application/json' });
      progress = 1;
      beat(true);
      return { key: io.outputKey, contentType: 'application/json', sizeBytes: info.size, ...summary };
    });
  } finally {
    clearInterval(keepalive);
  }
}

/** Intermediate results kept in storage between attempts (JSON), so a retried step resumes. */
export function storedParts<T>(store: ActivityDeps['store'], keyOf: (index: number) => string) {
  return {
    async get(index: number): Promise<T | undefined> {
      const key = keyOf(index);
      return (await store.stat(key)) ? (JSON.parse(await readText(await store.get(key))) as T) : undefined;
    },
    async put(index: number, value: T): Promise<void> {
      await store.put(keyOf(index), JSON.stringify(value), { contentType: 'application/json' });
    },
  };
}
