/**
 * POST /v1/analyze on a text of any length: the text (for action_items: its commitment sentences)
 * is cut into chunks that fit the budget, each chunk is analysed on its own under a JSON-schema
 * grammar, and the chunk results are merged deterministically (analysis-merge.ts). Each chunk's
 * result is written to `parts` as soon as it exists and reused when present, so a retried step
 * resumes where the last attempt stopped. pii_redact runs the deterministic rules over the whole
 * text and adds the people and places the model names per chunk.
 */
import type { AnalysisType } from '../../workflows/model';
import { redactPii } from '../pii/redact';
import { actionItemsRequest, entitiesRequest, questionsRequest, sentimentRequest, topicsRequest, type ChunkRequest } from './analysis-prompts';
import {
  contentOf,
  groundEntities,
  mergeActionItems,
  mergeEntities,
  mergeQuestions,
  mergeSentiment,
  mergeTopics,
  type ChunkEntity,
  type ChunkSentiment,
} from './analysis-merge';
import type { ActionItemsResult, EntityLists, QuestionsResult, Sentiment, TopicsResult } from './analysis-schemas';
import { questionsOf, speakersOf } from './analysis-text';
import { commitments, dedupeActions, type Commitment } from './analysis-actions';
import { chunkByTokens } from './chunking';
import { generateJson } from './json-schema';
import type { LlmModel } from './types';

/** Chunk results kept between attempts (JSON), by chunk index. */
export interface AnalysisParts {
  get(index: number): Promise<unknown | undefined>;
  put(index: number, value: unknown): Promise<void>;
}

export interface AnalyzeOptions {
  /** Largest text (in tokens) analysed in one pass; also the chunk size. */
  chunkTokens: number;
  parts: AnalysisParts;
  /** 0..1 over the whole job. */
  onProgress?: (progress: number) => void;
  signal?: AbortSignal;
}

export interface AnalysisOutcome {
  result: unknown;
  chunks: number;
  promptTokens: number;
  outputTokens: number;
}

/** Questions judged per generation (a longer list would make one answer long and fragile). */
const QUESTIONS_PER_CALL = 24;

export async function analyzeText(model: LlmModel, text: string, type: AnalysisType, opts: AnalyzeOptions): Promise<AnalysisOutcome> {
  const usage = { promptTokens: 0, outputTokens: 0 };
  let planned = 1;
  let finished = 0;
  const ask = async <T>({ req, schema }: ChunkRequest): Promise<T> => {
    const { value, result } = await generateJson<T>(model, req, schema, {
      signal: opts.signal,
      onProgress: (tokens) => opts.onProgress?.(Math.min(0.99, (finished + Math.min(1, tokens / req.maxTokens)) / planned)),
    });
    usage.promptTokens += result.promptTokens;
    usage.outputTokens += result.outputTokens;
    return value;
  };

  // action_items works on the commitment sentences only (analysis-actions.ts), a few lines per generation.
  const chunks: Array<string | Commitment[]> =
    type === 'action_items' ? await batchCommitments(commitments(text), opts.chunkTokens, (s) => model.countTokens(s)) : await chunksOf(model, text, opts.chunkTokens);
  if (!chunks.length) return { result: [], chunks: 0, ...usage };
  planned = chunks.length;

  const results: unknown[] = [];
  for (let i = 0; i < chunks.length; i++) {
    let r = await opts.parts.get(i);
    if (r === undefined) {
      const c = chunks[i];
      r = typeof c === 'string' ? await analyzeChunk(type, c, ask) : await actionItems(c, ask);
      await opts.parts.put(i, r);
    }
    results.push(r);
    finished++;
    opts.onProgress?.(Math.min(0.99, finished / planned));
  }
  return { result: merge(type, text, results), chunks: chunks.length, ...usage };
}

type Ask = <T>(r: ChunkRequest) => Promise<T>;

/**
 * The model's lists as typed entities. A name in two lists: organization before person (company
 * names are what the 0.5B also lists as people), then person, place, the rest.
 */
const typedEntities = (v: EntityLists): ChunkEntity[] => [
  ...v.organizations.map((text) => ({ text, type: 'organization' as const })),
  ...v.people.map((text) => ({ text, type: 'person' as const })),
  ...v.places.map((text) => ({ text, type: 'place' as const })),
  ...v.other,
];

async function chunksOf(model: LlmModel, text: string, chunkTokens: number): Promise<string[]> {
  const total = await model.countTokens(text);
  return total <= chunkTokens ? [text] : chunkByTokens(text, chunkTokens, total, (s) => model.countTokens(s));
}

/** Commitment lines per generation: at most this many, and within the chunk budget. */
const COMMITMENTS_PER_CALL = 10;

async function batchCommitments(lines: Commitment[], chunkTokens: number, count: (s: string) => Promise<number>): Promise<Commitment[][]> {
  const out: Commitment[][] = [];
  let cur: Commitment[] = [];
  let tokens = 0;
  for (const c of lines) {
    const t = await count(c.line);
    if (cur.length && (cur.length >= COMMITMENTS_PER_CALL || tokens + t > chunkTokens)) {
      out.push(cur);
      cur = [];
      tokens = 0;
    }
    cur.push(c);
    tokens += t;
  }
  if (cur.length) out.push(cur);
  return out;
}

async function actionItems(lines: Commitment[], ask: Ask): Promise<ActionItemsResult> {
  const v = await ask<Record<string, { owner: string | null; task: string; due: string | null }>>(actionItemsRequest(lines));
  // A deadline counts only when the line says it (the 0.5B carries one line's "Friday" over to the next).
  // It is returned as the line spells it ("tomorrow", not the model's "Tomorrow").
  const said = (due: string | null, line: string) => {
    const at = due?.trim() ? line.toLowerCase().indexOf(due.trim().toLowerCase()) : -1;
    return at < 0 ? null : line.slice(at, at + due!.trim().length);
  };
  return lines.flatMap((c, i) => {
    const item = v[String(i + 1)];
    return item ? [{ owner: item.owner, task: item.task, due: said(item.due, c.line) }] : [];
  });
}

async function analyzeChunk(type: AnalysisType, chunk: string, ask: Ask): Promise<unknown> {
  switch (type) {
    case 'sentiment': {
      const speakers = speakersOf(chunk);
      const v = await ask<{ overall: Sentiment; score: number; speakers?: Record<string, Sentiment> }>(sentimentRequest(chunk, speakers));
      return { overall: v.overall, score: v.score, speakers: v.speakers ?? {}, weight: chunk.length } satisfies ChunkSentiment;
    }
    case 'topics':
      return (await ask<{ topics: TopicsResult }>(topicsRequest(chunk))).topics;
    case 'entities':
      // The words without "[mm:ss] Speaker:" prefixes: given them, the 0.5B lists the speakers (added
      // by rule anyway) and misses the other people named (measured here).
      return groundEntities(chunk, typedEntities(await ask<EntityLists>(entitiesRequest(contentOf(chunk)))));
    case 'pii_redact': {
      // The model sees the chunk with the rules' finds already masked ([EMAIL], …): what is left to
      // find is names, and addresses or card numbers are no distraction (nor copied into the prompt twice).
      const masked = redactPii(contentOf(chunk)).redacted_text;
      return groundEntities(chunk, typedEntities(await ask<EntityLists>(entitiesRequest(masked))));
    }
    case 'action_items':
      throw new Error('action items are analysed per commitment batch');
    case 'questions': {
      const asked = questionsOf(chunk);
      const out: QuestionsResult = [];
      for (let i = 0; i < asked.length; i += QUESTIONS_PER_CALL) {
        const batch = asked.slice(i, i + QUESTIONS_PER_CALL);
        const v = await ask<Record<string, boolean>>(questionsRequest(chunk, batch.map((q) => q.question)));
        batch.forEach((q, j) => out.push({ ...q, answered: v[`Q${j + 1}`] === true }));
      }
      return out;
    }
  }
}

function merge(type: AnalysisType, text: string, results: unknown[]): unknown {
  switch (type) {
    case 'sentiment':
      return mergeSentiment(results as ChunkSentiment[]);
    case 'topics':
      return mergeTopics(results as TopicsResult[]);
    case 'entities':
      return mergeEntities(text, results as ChunkEntity[][]);
    case 'action_items':
      return dedupeActions(mergeActionItems(results as ActionItemsResult[]));
    case 'questions':
      return mergeQuestions(results as QuestionsResult[]);
    case 'pii_redact': {
      const named = (results as ChunkEntity[][]).flat().filter((e): e is ChunkEntity & { type: 'person' | 'place' } => e.type === 'person' || e.type === 'place');
      return redactPii(text, named);
    }
  }
}
