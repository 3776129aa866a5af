/**
 * What every translation engine offers (the LLM, Apertium, and — on a machine with the weights —
 * a MADLAD-400/NLLB seq2seq model): pieces in, one translation per piece out, in order. Pieces come
 * from segment.ts (no newlines, bounded length), so an engine never has to keep a batch aligned itself.
 */

export const ENGINE_KINDS = ['llm', 'apertium', 'madlad', 'nllb'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export interface LanguagePair {
  source: string;
  target: string;
}

export interface TranslateHooks {
  signal?: AbortSignal;
  /** Pieces finished so far (of this call's `pieces.length`). */
  onProgress?: (done: number) => void;
}

export interface EngineOutput {
  /** `texts[i]` translates `pieces[i]`. */
  texts: string[];
  /** The engine/model that ran, as the API reports it: the LLM id, or e.g. `apertium-eng-spa`. */
  model: string;
  promptTokens: number;
  outputTokens: number;
}

export interface TranslationEngine {
  readonly kind: EngineKind;
  translate(pieces: readonly string[], pair: LanguagePair, hooks?: TranslateHooks): Promise<EngineOutput>;
}

/** Largest piece (code points) each engine is given; the LLM's bound keeps prompt + output well inside the context. */
export const PIECE_CHARS: Record<EngineKind, number> = { llm: 600, apertium: 4000, madlad: 600, nllb: 600 };
