/**
 * Translating a request's texts (one, or a batch) with one engine: every text cut into pieces
 * (segment.ts), the pieces translated in groups whose results are kept in `parts` (storage, so a
 * retried step resumes after the last finished group), then each text put back together with its
 * original whitespace. Output i is always the translation of input i.
 */
import type { LanguagePair, TranslationEngine } from './engine';
import { joinSegments, segmentText } from './segment';

export interface TranslationParts {
  get(index: number): Promise<string[] | undefined>;
  put(index: number, texts: string[]): Promise<void>;
}

export interface TranslateTextsOptions {
  /** Largest piece given to the engine (PIECE_CHARS). */
  pieceChars: number;
  /** Pieces per stored group (a retry redoes at most one group). */
  groupSize: number;
  parts: TranslationParts;
  onProgress?: (p: number) => void;
  signal?: AbortSignal;
}

export interface TranslateTextsOutcome {
  translations: string[];
  groups: number;
  pieces: number;
  promptTokens: number;
  outputTokens: number;
}

export async function translateTexts(engine: TranslationEngine, texts: readonly string[], pair: LanguagePair, opts: TranslateTextsOptions): Promise<TranslateTextsOutcome> {
  const segmented = texts.map((t) => segmentText(t, opts.pieceChars));
  const pieces = segmented.flatMap((s) => s.pieces);
  const groups = Math.ceil(pieces.length / opts.groupSize);
  const done: string[] = [];
  let promptTokens = 0;
  let outputTokens = 0;
  for (let g = 0; g < groups; g++) {
    const slice = pieces.slice(g * opts.groupSize, (g + 1) * opts.groupSize);
    let out = await opts.parts.get(g);
    if (!out || out.length !== slice.length) {
      const base = done.length;
      const r = await engine.translate(slice, pair, { signal: opts.signal, onProgress: (n) => opts.onProgress?.((base + n) / pieces.length) });
      promptTokens += r.promptTokens;
      outputTokens += r.outputTokens;
      out = r.texts;
      await opts.parts.put(g, out);
    }
    done.push(...out);
    opts.onProgress?.(done.length / pieces.length);
  }
  let at = 0;
  const translations = segmented.map((s) => {
    const mine = done.slice(at, at + s.pieces.length);
    at += s.pieces.length;
    return joinSegments(s, mine);
  });
  return { translations, groups, pieces: pieces.length, promptTokens, outputTokens };
}
