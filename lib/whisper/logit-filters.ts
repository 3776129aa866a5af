import { logSumExp } from './math';

export interface LogitFilterConfig {
  eot: number;
  noTimestamps: number;
  timestampBegin: number;
  suppress: readonly number[];
  suppressBegin: readonly number[];
  /** Latest timestamp allowed as the first one, in timestamp steps (1.0 s / 0.02 s = 50). */
  maxInitialTimestampIndex: number;
}

/**
 * openai-whisper's SuppressBlank, SuppressTokens and ApplyTimestampRules, in that order, applied in place to
 * the logits of the next position. `sampled` holds the tokens sampled after the prompt so far.
 */
export function applyLogitFilters(logits: Float32Array, sampled: readonly number[], c: LogitFilterConfig): void {
  const n = logits.length;
  const tsBegin = c.timestampBegin;
  const atBegin = sampled.length === 0;

  if (atBegin) for (const t of c.suppressBegin) logits[t] = -Infinity; // no leading blank or immediate EOT
  for (const t of c.suppress) logits[t] = -Infinity;
  logits[c.noTimestamps] = -Infinity;

  // Timestamps come in pairs (segment end, next segment start) except at the very end.
  const last = sampled.length >= 1 ? sampled[sampled.length - 1] : -1;
  const lastWasTs = last >= tsBegin;
  const penultimateWasTs = sampled.length < 2 || sampled[sampled.length - 2] >= tsBegin;
  if (lastWasTs) {
    if (penultimateWasTs) logits.fill(-Infinity, tsBegin, n);
    else logits.fill(-Infinity, 0, c.eot);
  }

  // Timestamps never decrease, and a segment must have nonzero length (prevents infinite loops).
  let lastTs = -1;
  for (let i = sampled.length - 1; i >= 0; i--) if (sampled[i] >= tsBegin) { lastTs = sampled[i]; break; }
  if (lastTs >= 0) {
    const upTo = lastWasTs && !penultimateWasTs ? lastTs : lastTs + 1;
    logits.fill(-Infinity, tsBegin, upTo);
  }

  if (atBegin) {
    logits.fill(-Infinity, 0, tsBegin); // the first token must be a timestamp…
    logits.fill(-Infinity, tsBegin + c.maxInitialTimestampIndex + 1, n); // …and not a late one
  }

  // If the timestamps together are likelier than any single text token, a timestamp must come next.
  const lse = logSumExp(logits, 0, n);
  const tsLogprob = logSumExp(logits, tsBegin, n) - lse;
  let maxText = -Infinity;
  for (let i = 0; i < tsBegin; i++) if (logits[i] > maxText) maxText = logits[i];
  if (tsLogprob > maxText - lse) logits.fill(-Infinity, 0, tsBegin);
}
