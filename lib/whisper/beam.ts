import { applyLogitFilters } from './logit-filters';
import { logSumExp } from './math';
import type { CrossKv, WhisperSessions } from './sessions';
import type { DecodeConfig } from './decode';

/** openai-whisper's BeamSearchDecoder + MaximumLikelihoodRanker settings (faster-whisper's defaults). */
export interface BeamOptions {
  beamSize: number;
  /** Finished candidates collected before stopping = round(beamSize × patience). */
  patience?: number;
  /**
   * null: rank by sum of log-probs / length (faster-whisper's length_penalty=1 means the same);
   * a number α: by sum / ((5 + length) / 6)^α (Google NMT's penalty, openai-whisper's --length_penalty).
   */
  lengthPenalty?: number | null;
}

/** One finished (or cut-off) hypothesis; tokens exclude the final EOT, sumLogprob includes its log-prob. */
export interface BeamCandidate {
  tokens: number[];
  logprobs: number[];
  sumLogprob: number;
}

interface Beam extends BeamCandidate {}

/**
 * Beam search over one 30 s window at temperature 0. All live beams run through the decoder together (one
 * batched run per step against the window's one cross K/V); after each step the self-attention cache is
 * reordered by the beam each survivor came from. Every beam gets the same logit filters as greedy decoding
 * (suppressed tokens, timestamp rules) on its own tokens. The prompt runs once at batch 1, so the first
 * step's candidates are not duplicated across identical beams (openai-whisper dedupes them by sequence).
 */
export async function beamSearch(
  sessions: WhisperSessions, cross: CrossKv, prompt: number[], cfg: DecodeConfig, opts: BeamOptions,
): Promise<BeamCandidate & { noSpeechProb: number }> {
  const V = cfg.nVocab;
  const eot = cfg.filters.eot;
  const beamSize = Math.max(1, Math.floor(opts.beamSize));
  const maxCandidates = Math.max(1, Math.round(beamSize * (opts.patience ?? 1)));
  const row = new Float32Array(V); // scratch: one beam's filtered logits

  let step = await sessions.step(prompt, sessions.emptyCache(), cross);
  const sot = prompt.indexOf(cfg.sot);
  const sotRow = step.logits.subarray(sot * V, (sot + 1) * V);
  // Unfiltered logits at the SOT position, as greedy decoding reads it.
  const noSpeechProb = Math.exp(sotRow[cfg.noSpeech] - logSumExp(sotRow));
  let cache = step.cache;
  let nNew = prompt.length; // rows of logits per beam in the last step
  let beams: Beam[] = [{ tokens: [], logprobs: [], sumLogprob: 0 }];
  const finished: BeamCandidate[] = [];

  for (let i = 0; i < cfg.maxTokens; i++) {
    const candidates: Array<{ beam: number; token: number; logprob: number; sum: number }> = [];
    for (let b = 0; b < beams.length; b++) {
      const at = (b * nNew + nNew - 1) * V;
      row.set(step.logits.subarray(at, at + V));
      applyLogitFilters(row, beams[b].tokens, cfg.filters);
      const lse = logSumExp(row);
      // beamSize + 1 per beam: even if one is EOT, beamSize live continuations remain.
      for (const token of topK(row, beamSize + 1)) {
        const logprob = row[token] - lse;
        if (logprob === -Infinity) continue; // filtered out: never a hypothesis
        candidates.push({ beam: b, token, logprob, sum: beams[b].sumLogprob + logprob });
      }
    }
    candidates.sort((a, b) => b.sum - a.sum);

    const next: Beam[] = [];
    const sources: number[] = [];
    const newlyFinished: BeamCandidate[] = [];
    for (const c of candidates) {
      const from = beams[c.beam];
      if (c.token === eot) {
        newlyFinished.push({ tokens: from.tokens, logprobs: from.logprobs, sumLogprob: c.sum });
      } else {
        next.push({ tokens: [...from.tokens, c.token], logprobs: [...from.logprobs, c.logprob], sumLogprob: c.sum });
        sources.push(c.beam);
        if (next.length === beamSize) break;
      }
    }
    // Already in score order; the best ones fill the remaining candidate slots.
    for (const f of newlyFinished) {
      if (finished.length >= maxCandidates) break;
      finished.push(f);
    }
    beams = next;
    if (finished.length >= maxCandidates || beams.length === 0 || i + 1 === cfg.maxTokens) break;

    cache = sessions.reorderCache(cache, sources);
    step = await sessions.step(beams.map((b) => b.tokens[b.tokens.length - 1]), cache, cross, beams.length);
    cache = step.cache;
    nNew = 1;
  }

  // Too few finished (length bound hit): the best live beams compete too, as if they ended here.
  if (finished.length < beamSize) {
    for (const b of [...beams].sort((x, y) => y.sumLogprob - x.sumLogprob)) {
      if (finished.length >= beamSize) break;
      finished.push(b);
    }
  }
  return { ...rankCandidates(finished, opts.lengthPenalty ?? null), noSpeechProb };
}

/** MaximumLikelihoodRanker: highest length-normalised sum of log-probs; ties keep the earlier candidate. */
export function rankCandidates(candidates: readonly BeamCandidate[], lengthPenalty: number | null): BeamCandidate {
  const score = (c: BeamCandidate) => {
    const length = Math.max(1, c.tokens.length);
    const penalty = lengthPenalty === null ? length : ((5 + length) / 6) ** lengthPenalty;
    return c.sumLogprob / penalty;
  };
  let best = candidates[0];
  let bestScore = score(best);
  for (let i = 1; i < candidates.length; i++) {
    const s = score(candidates[i]);
    if (s > bestScore) {
      best = candidates[i];
      bestScore = s;
    }
  }
  return best;
}

/** Indices of the k largest values, largest first (ties: lower index first, like a stable sort). */
export function topK(x: Float32Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (idx.length === k && v <= x[idx[k - 1]]) continue;
    let j = idx.length < k ? idx.length : k - 1;
    while (j > 0 && x[idx[j - 1]] < v) j--;
    idx.splice(j, 0, i);
    if (idx.length > k) idx.pop();
  }
  return idx;
}
