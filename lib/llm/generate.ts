/**
 * Generating content of one of the ten types from a text of any length. A text that fits the chunk
 * budget is one generation. A longer one is cut into chunks (chunkByTokens): structured types run
 * per chunk and their lists are merged exactly (generation-merge.ts); prose types write notes per
 * chunk (condensed in rounds while they do not fit one pass), then one final pass writes the piece
 * from the notes. Every per-chunk result is written to `parts` as soon as it exists and reused when
 * present, so a retried step resumes where the last attempt stopped.
 */
import type { GenerationType } from '../../workflows/model';
import { promptLines } from '../transcript/prompt-text';
import { snapChapters } from './chapters';
import { chunkByTokens, groupToFit, numbered } from './chunking';
import { mergeChapters, mergeFlashcards, mergeQuiz, mergeQuotes, speakersOf } from './generation-merge';
import { proseRequest, structuredRequest, type ProseType } from './generation-prompts';
import { CONTENT_SCHEMAS, MAX_ITEMS, isStructured, modelSchema, toFlashcards, toQuiz, type ModelOutput, type StructuredType } from './generation-schemas';
import { generateJson, StructuredOutputError } from './json-schema';
import { realQuotes, sourceLines } from './key-quotes';
import { mapRequest, reduceRequest } from './summary-prompts';
import type { GenerateRequest, GenerateResult, LlmModel } from './types';

/** Results kept between attempts: round 0 holds one per chunk, rounds 1… the condensed notes of prose types. */
export interface GenerationParts {
  get(round: number, index: number): Promise<unknown>;
  put(round: number, index: number, value: unknown): Promise<void>;
}

export interface GenerateContentOptions {
  /** Largest text (in tokens) handled in one pass; also the chunk size. */
  chunkTokens: number;
  parts: GenerationParts;
  /** 0..1 over the whole job. */
  onProgress?: (progress: number) => void;
  signal?: AbortSignal;
}

export type GeneratedContent = string | unknown[];

export interface GenerationOutcome {
  content: GeneratedContent;
  /** 1: one pass; otherwise how many chunks the text was cut into. */
  chunks: number;
  promptTokens: number;
  outputTokens: number;
}

/** The model's answer could not become content of the type (e.g. every quiz question had repeated options). */
export class GenerationError extends Error {}

/** chapter_markers needs `[mm:ss]` lines: a stored transcript, or text rendered the same way. */
export const hasTimestamps = (text: string) => promptLines(text).length > 0;

export async function generateContent(model: LlmModel, text: string, type: GenerationType, opts: GenerateContentOptions): Promise<GenerationOutcome> {
  const usage = { promptTokens: 0, outputTokens: 0 };
  const count = (s: string) => model.countTokens(s);
  let planned = 1;
  let finished = 0;
  const hooks = (req: GenerateRequest) => ({
    signal: opts.signal,
    onProgress: (tokens: number) => opts.onProgress?.(Math.min(0.99, (finished + Math.min(1, tokens / req.maxTokens)) / planned)),
  });
  const account = (r: GenerateResult) => {
    usage.promptTokens += r.promptTokens;
    usage.outputTokens += r.outputTokens;
  };
  const done = () => opts.onProgress?.(Math.min(0.99, ++finished / planned));
  const run = async (req: GenerateRequest): Promise<string> => {
    const r = await model.generate(req, hooks(req));
    account(r);
    done();
    return r.text.trim();
  };
  /** One structured generation; cut off at its budget (a rambling answer), it is asked again for half as many entries. */
  const runJson = async <T extends StructuredType>(t: T, piece: string): Promise<ModelOutput[T]> => {
    for (let maxItems = MAX_ITEMS[t]; ; maxItems = Math.floor(maxItems / 2)) {
      const req = structuredRequest(t, piece, maxItems);
      try {
        const { value, result } = await generateJson<ModelOutput[T]>(model, req, modelSchema(t, maxItems), hooks(req));
        account(result);
        done();
        return value;
      } catch (err) {
        if (!(err instanceof StructuredOutputError) || maxItems <= 1) throw err;
      }
    }
  };
  const part = async <V>(round: number, index: number, make: () => Promise<V>): Promise<V> => {
    const stored = await opts.parts.get(round, index);
    if (stored !== undefined) {
      finished++;
      return stored as V;
    }
    const value = await make();
    await opts.parts.put(round, index, value);
    return value;
  };

  const total = await count(text);
  const pieces = total <= opts.chunkTokens ? [text.trim()] : await chunkByTokens(text, opts.chunkTokens, total, count);
  planned = pieces.length + (pieces.length > 1 && !isStructured(type) ? 1 : 0);

  let content: GeneratedContent;
  if (isStructured(type)) {
    const lists: unknown[][] = [];
    for (let i = 0; i < pieces.length; i++) lists.push(await part(0, i, () => structuredPiece(type, pieces[i], i, runJson, text)));
    content = mergeStructured(type, lists, text);
    const valid = CONTENT_SCHEMAS[type].safeParse(content);
    if (!valid.success) throw new GenerationError(`The model produced no usable ${type.replace('_', ' ')} for this text.`);
  } else {
    const prose = type as ProseType;
    let body: string;
    if (pieces.length === 1) body = await run(proseRequest(prose, pieces[0]));
    else {
      let notes: string[] = [];
      for (let i = 0; i < pieces.length; i++) notes.push(await part(0, i, () => run(mapRequest('detailed', pieces[i], i, pieces.length))));
      for (let round = 1; (await count(numbered(notes))) > opts.chunkTokens; round++) {
        // Too many notes for one pass: combine neighbours group by group, and go again.
        const groups = await groupToFit(notes, opts.chunkTokens, count);
        planned += groups.length;
        const next: string[] = [];
        for (let g = 0; g < groups.length; g++) next.push(await part(round, g, () => run(reduceRequest('intermediate', numbered(groups[g])))));
        notes = next;
      }
      body = await run(proseRequest(prose, numbered(notes), true));
    }
    content = finishProse(prose, body, text);
    if (!content) throw new GenerationError(`The model produced no ${type.replace('_', ' ')} for this text.`);
  }
  return { content, chunks: pieces.length, ...usage };
}

/** One chunk's structured result, already checked against the text (quotes found, chapter times snapped). */
async function structuredPiece(
  type: StructuredType,
  piece: string,
  index: number,
  runJson: <T extends StructuredType>(t: T, piece: string) => Promise<ModelOutput[T]>,
  whole: string,
): Promise<unknown[]> {
  switch (type) {
    case 'flashcards':
      return toFlashcards(await runJson('flashcards', piece));
    case 'quiz':
      return toQuiz(await runJson('quiz', piece));
    case 'key_quotes': {
      const out = await runJson('key_quotes', piece);
      // Looked up in the whole text's lines: a chunk boundary may have split a long line.
      return realQuotes(
        out.quotes.map((q) => q.quote),
        sourceLines(whole),
        MAX_ITEMS.key_quotes,
      );
    }
    case 'chapter_markers': {
      const starts = promptLines(piece).map((l) => l.start);
      if (!starts.length) return []; // a piece of one very long line: no line starts in it to place a chapter on
      const out = await runJson('chapter_markers', piece);
      return snapChapters(out.chapters, starts, index === 0 ? undefined : null);
    }
  }
}

function mergeStructured(type: StructuredType, lists: unknown[][], whole: string): unknown[] {
  switch (type) {
    case 'flashcards':
      return mergeFlashcards(lists as never);
    case 'quiz':
      return mergeQuiz(lists as never);
    case 'key_quotes':
      return mergeQuotes(lists as never);
    case 'chapter_markers':
      return mergeChapters(lists as never, Math.min(...promptLines(whole).map((l) => Math.floor(l.start))));
  }
}

/** The model's Markdown as content: a wrapping code fence dropped; meeting notes open with who spoke (exact, from the text). */
export function finishProse(type: ProseType, body: string, text: string): string {
  const fenced = /^```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(body.trim());
  const md = (fenced ? fenced[1] : body).trim();
  if (!md || type !== 'meeting_notes') return md;
  const speakers = speakersOf(text);
  return speakers.length ? `## Attendees\n${speakers.map((s) => `- ${s}`).join('\n')}\n\n${md}` : md;
}

