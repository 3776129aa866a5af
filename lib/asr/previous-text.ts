/**
 * The decoder prompt carried from one speech chunk to the next: openai-whisper's and faster-whisper's
 * condition_on_previous_text. A chunk that begins in mid-flow (a long region cut at a pause) decoded cold
 * restarts the text's style: "7. ONUÉVE PARA BAHAR" for "siete o nueve para bajar" after a cut in tel-es-01.
 * With the tokens of the text before it as the prompt it goes on as the text did. A chunk decoded at a
 * fallback temperature above 0.5 is probably wrong, so, as faster-whisper's prompt_reset_on_temperature
 * does, its text prompts nothing and the context restarts.
 */
import type { ChunkSegment } from './types';

/** faster-whisper's prompt_reset_on_temperature default. */
export const PROMPT_RESET_TEMPERATURE = 0.5;
/** Tokens kept: the model reads the last 223 (n_text_ctx / 2 - 1); a little slack costs nothing. */
const KEEP_TOKENS = 256;

export class PreviousText {
  private kept: number[] = [];

  /** What the next chunk's transcribeChunk gets as previousTokens (empty: decode cold). */
  get tokens(): readonly number[] {
    return this.kept;
  }

  /** After a chunk: its segments' tokens extend the context, or a hot fallback clears it. */
  add(result: { temperature?: number; segments: readonly Pick<ChunkSegment, 'tokens'>[] }): void {
    if ((result.temperature ?? 0) > PROMPT_RESET_TEMPERATURE) {
      this.kept = [];
      return;
    }
    for (const s of result.segments) if (s.tokens) this.kept.push(...s.tokens);
    if (this.kept.length > KEEP_TOKENS) this.kept = this.kept.slice(-KEEP_TOKENS);
  }
}
