/**
 * Summarizing a text of any length: in one pass when it fits the chunk budget, else map-reduce —
 * each chunk summarized on its own, then the chunk summaries combined (in several rounds when even
 * they do not fit one pass). Every intermediate summary is written to `parts` as soon as it exists
 * and reused when present, so a retried step resumes where the last attempt stopped; the caller
 * keeps them in object storage, never in workflow history.
 */
import type { SummaryStyle } from '../../workflows/model';
import { briefBudget, selectForBrief } from './brief-selection';
import { chunkByTokens, groupToFit, numbered } from './chunking';
import { dropUnfinished } from './cut-off';
import { commitmentLines, directRequest, mapRequest, mergeActionItems, reduceRequest } from './summary-prompts';
import type { GenerateRequest, LlmModel } from './types';

/** Where intermediate summaries live; `key(round, index)` names one (round 0: the chunks). */
export interface SummaryParts {
  get(round: number, index: number): Promise<string | undefined>;
  put(round: number, index: number, text: string): Promise<void>;
}

export interface SummarizeOptions {
  /** Largest text (in tokens) summarized in one pass; also the map-reduce chunk size. */
  chunkTokens: number;
  /** A brief of a text over BRIEF_SELECT_ABOVE_TOKENS reads only its fact-bearing sentences (brief-selection.ts). */
  briefSelect?: boolean;
  parts: SummaryParts;
  /** 0..1 over the whole job. */
  onProgress?: (progress: number) => void;
  signal?: AbortSignal;
}

export interface SummaryOutcome {
  summary: string;
  /** 1: one pass; otherwise how many chunks were summarized first. */
  chunks: number;
  promptTokens: number;
  outputTokens: number;
}

export async function summarizeText(model: LlmModel, text: string, style: SummaryStyle, opts: SummarizeOptions): Promise<SummaryOutcome> {
  const usage = { promptTokens: 0, outputTokens: 0 };
  const count = (s: string) => model.countTokens(s);
  // Generation calls this job will make, for progress (map-reduce: chunks + reduce rounds, estimated).
  let planned = 1;
  let finished = 0;
  const run = async (req: GenerateRequest): Promise<string> => {
    const r = await model.generate(req, {
      signal: opts.signal,
      onProgress: (tokens) => opts.onProgress?.(Math.min(0.99, (finished + Math.min(1, tokens / req.maxTokens)) / planned)),
    });
    usage.promptTokens += r.promptTokens;
    usage.outputTokens += r.outputTokens;
    finished++;
    opts.onProgress?.(Math.min(0.99, finished / planned));
    // Cut by the output budget: the unfinished last sentence or list item is dropped (see cut-off.ts).
    return r.stopReason === 'maxTokens' ? dropUnfinished(r.text.trim()) : r.text.trim();
  };
  /** One intermediate summary: reused from a previous attempt when stored, else generated and stored. */
  const part = async (round: number, index: number, req: () => GenerateRequest): Promise<string> => {
    const stored = await opts.parts.get(round, index);
    if (stored !== undefined) {
      finished++;
      return stored;
    }
    const out = await run(req());
    await opts.parts.put(round, index, out);
    return out;
  };

  if (style === 'action_items') {
    // The model works on the commitment sentences only (see commitmentLines); none: nothing to list.
    const lines = commitmentLines(text);
    if (!lines.length) return { summary: mergeActionItems([]), chunks: 1, ...usage };
    text = lines.join('\n');
  }
  let total = await count(text);
  // A brief of a long text reads only its fact-bearing sentences (see brief-selection.ts): most of a brief's time is reading.
  const budget = style === 'brief' && opts.briefSelect ? briefBudget(total) : undefined;
  if (budget !== undefined) {
    text = selectForBrief(text, total, budget);
    total = await count(text);
  }
  if (total <= opts.chunkTokens) {
    const out = await run(directRequest(style, text, budget !== undefined));
    return { summary: style === 'action_items' ? mergeActionItems([out]) : out, chunks: 1, ...usage };
  }

  const chunks = await chunkByTokens(text, opts.chunkTokens, total, count);
  planned = chunks.length + 1;
  let items: string[] = [];
  for (let i = 0; i < chunks.length; i++) items.push(await part(0, i, () => mapRequest(style, chunks[i], i, chunks.length)));
  // Action items are lists: merging them is exact, where another model pass could drop some.
  if (style === 'action_items') return { summary: mergeActionItems(items), chunks: chunks.length, ...usage };

  for (let round = 1; ; round++) {
    const joined = numbered(items);
    if ((await count(joined)) <= opts.chunkTokens) return { summary: await run(reduceRequest(style, joined)), chunks: chunks.length, ...usage };
    // Too many part summaries for one pass: combine neighbours group by group, and go again.
    const groups = await groupToFit(items, opts.chunkTokens, count);
    planned += groups.length;
    const next: string[] = [];
    for (let g = 0; g < groups.length; g++) next.push(await part(round, g, () => reduceRequest('intermediate', numbered(groups[g]))));
    items = next;
  }
}

