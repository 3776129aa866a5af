import type { WhisperTokenizer } from './tokenizer';

export const TIME_PRECISION = 0.02; // seconds per timestamp token step

/** A decoded segment before word alignment; tokens are text tokens only. */
export interface RawSegment {
  start: number;
  end: number;
  tokens: number[];
  /** Log-probs of the text tokens, same order as tokens. */
  textLogprobs: number[];
  /** Mean log-prob over every token of the slice, timestamps included. */
  avgLogprob: number;
  /** Every token of the slice, timestamps included (what prompts the next window). */
  allTokens: number[];
}

/**
 * Cuts the sampled tokens at timestamp pairs like openai-whisper's transcribe loop. Differences: text after
 * the last complete pair is kept as a segment ending at the chunk's end rather than dropped, because callers
 * feed fixed chunks and never re-seek to decode that tail again; segments starting after the audio ends are
 * dropped.
 */
export function splitSegments(
  tokens: readonly number[], logprobs: readonly number[], timestampBegin: number, duration: number, tok: WhisperTokenizer,
): RawSegment[] {
  const isTs = (t: number): boolean => t >= timestampBegin;
  const time = (t: number): number => (t - timestampBegin) * TIME_PRECISION;
  const slices: Array<[number, number]> = [];
  let from = 0;
  for (let i = 1; i < tokens.length; i++) {
    if (isTs(tokens[i - 1]) && isTs(tokens[i])) { slices.push([from, i]); from = i; }
  }
  if (from < tokens.length) slices.push([from, tokens.length]);

  const out: RawSegment[] = [];
  for (const [a, b] of slices) {
    const text: number[] = [];
    const textLp: number[] = [];
    let sum = 0;
    for (let i = a; i < b; i++) {
      sum += logprobs[i];
      if (tok.isText(tokens[i])) { text.push(tokens[i]); textLp.push(logprobs[i]); }
    }
    if (text.length === 0) continue; // a bare timestamp pair says nothing
    const first = tokens[a], last = tokens[b - 1];
    // Text placed after the audio ends (the window is zero-padded to 30 s) has nothing under it.
    if (isTs(first) && time(first) >= duration) continue;
    // Timestamps may point past the real audio (the window is zero-padded to 30 s): clamp to it.
    const start = Math.min(isTs(first) ? time(first) : out.length ? out[out.length - 1].end : 0, duration);
    const end = Math.min(Math.max(isTs(last) ? time(last) : duration, start), duration);
    out.push({ start, end, tokens: text, textLogprobs: textLp, avgLogprob: sum / (b - a), allTokens: tokens.slice(a, b) });
  }
  return out;
}
