import { deflateSync } from 'node:zlib';
import { beamSearch, type BeamOptions } from './beam';
import { applyLogitFilters, type LogitFilterConfig } from './logit-filters';
import { argmax, logSumExp, sampleWithTemperature, seededRandom } from './math';
import type { CrossKv, WhisperSessions } from './sessions';
import type { WhisperTokenizer } from './tokenizer';

export interface DecodeConfig {
  filters: LogitFilterConfig;
  sot: number;
  noSpeech: number;
  nVocab: number;
  /** openai-whisper's sample_len: n_text_ctx / 2 = 224. */
  maxTokens: number;
}

/** One decoding pass over a 30 s window (openai-whisper's DecodingResult, greedy or sampled). */
export interface DecodeResult {
  /** Sampled tokens after the prompt, without the final EOT. */
  tokens: number[];
  /** Log-probability of each sampled token under the filtered distribution. */
  logprobs: number[];
  avgLogprob: number;
  noSpeechProb: number;
  compressionRatio: number;
  temperature: number;
}

/** Temperatures tried in turn when fallback is on (openai-whisper's default schedule). */
export const FALLBACK_TEMPERATURES = [0, 0.2, 0.4, 0.6, 0.8, 1.0];
const COMPRESSION_RATIO_THRESHOLD = 2.4;
const LOGPROB_THRESHOLD = -1.0;
const NO_SPEECH_THRESHOLD = 0.6;

export async function decodeOnce(
  sessions: WhisperSessions, cross: CrossKv, prompt: number[], cfg: DecodeConfig, tok: WhisperTokenizer,
  temperature: number, seed: number,
): Promise<DecodeResult> {
  const V = cfg.nVocab;
  const eot = cfg.filters.eot;
  const rand = seededRandom(seed);
  const logits = new Float32Array(V); // scratch row, reused every step
  const tokens: number[] = [];
  const logprobs: number[] = [];
  let sumLogprob = 0;
  let noSpeechProb = 0;
  let cache = sessions.emptyCache();
  let feed = prompt;
  for (let i = 0; i < cfg.maxTokens; i++) {
    const step = await sessions.step(feed, cache, cross);
    cache = step.cache;
    if (i === 0) {
      // No-speech probability is read at the SOT position, from the unfiltered logits.
      const sotRow = step.logits.subarray(prompt.indexOf(cfg.sot) * V, (prompt.indexOf(cfg.sot) + 1) * V);
      noSpeechProb = Math.exp(sotRow[cfg.noSpeech] - logSumExp(sotRow));
    }
    logits.set(step.logits.subarray((feed.length - 1) * V, feed.length * V));
    applyLogitFilters(logits, tokens, cfg.filters);
    const next = temperature === 0 ? argmax(logits) : sampleWithTemperature(logits, temperature, rand);
    const lp = logits[next] - logSumExp(logits);
    sumLogprob += lp; // the EOT's own log-prob counts too, like openai-whisper
    if (next === eot) break;
    tokens.push(next);
    logprobs.push(lp);
    feed = [next];
  }
  return {
    tokens,
    logprobs,
    avgLogprob: sumLogprob / (tokens.length + 1),
    noSpeechProb,
    compressionRatio: compressionRatio(Buffer.from(tok.decode(tokens).trim(), 'utf8')),
    temperature,
  };
}

/**
 * Decodes at temperature 0 (beam search when beam.beamSize > 1, else greedy) and, when allowed, retries with
 * sampling at rising temperatures while the output looks degenerate (openai-whisper's and faster-whisper's
 * schedule; one sample per temperature).
 */
export async function decodeWithFallback(
  sessions: WhisperSessions, cross: CrossKv, prompt: number[], cfg: DecodeConfig, tok: WhisperTokenizer, fallback: boolean,
  beam: BeamOptions = { beamSize: 1 }, signal?: AbortSignal,
): Promise<DecodeResult> {
  const temps = fallback ? FALLBACK_TEMPERATURES : [0];
  const tries: DecodeResult[] = [];
  for (let i = 0; i < temps.length; i++) {
    signal?.throwIfAborted();
    const result = temps[i] === 0 && beam.beamSize > 1
      ? await decodeBeam(sessions, cross, prompt, cfg, tok, beam)
      : await decodeOnce(sessions, cross, prompt, cfg, tok, temps[i], 0x5eed + i);
    if (!needsFallback(result)) return result;
    tries.push(result);
  }
  // Nothing passed: hot samples are usually worse than the greedy try, so keep the most likely
  // non-repetitive candidate (as faster-whisper does) rather than the last, hottest one.
  const sane = tries.filter((r) => r.compressionRatio <= COMPRESSION_RATIO_THRESHOLD);
  return (sane.length ? sane : tries).reduce((a, b) => (b.avgLogprob > a.avgLogprob ? b : a));
}

/** Beam search at temperature 0, reported like a greedy pass (avg log-prob counts the EOT, as there). */
export async function decodeBeam(
  sessions: WhisperSessions, cross: CrossKv, prompt: number[], cfg: DecodeConfig, tok: WhisperTokenizer, beam: BeamOptions,
): Promise<DecodeResult> {
  const best = await beamSearch(sessions, cross, prompt, cfg, beam);
  return {
    tokens: best.tokens,
    logprobs: best.logprobs,
    avgLogprob: best.sumLogprob / (best.tokens.length + 1),
    noSpeechProb: best.noSpeechProb,
    compressionRatio: compressionRatio(Buffer.from(tok.decode(best.tokens).trim(), 'utf8')),
    temperature: 0,
  };
}

function needsFallback(r: DecodeResult): boolean {
  const degenerate = r.compressionRatio > COMPRESSION_RATIO_THRESHOLD || r.avgLogprob < LOGPROB_THRESHOLD;
  // Low confidence on what is probably silence is expected, not a reason to sample harder.
  return degenerate && !isNoSpeech(r);
}

/** openai-whisper's skip rule: likely silence and nothing confident was said. */
export function isNoSpeech(r: Pick<DecodeResult, 'noSpeechProb' | 'avgLogprob'>): boolean {
  return r.noSpeechProb > NO_SPEECH_THRESHOLD && r.avgLogprob < LOGPROB_THRESHOLD;
}

/** Repetitive output compresses well; zlib at the default level like Python's zlib.compress. */
export function compressionRatio(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  return bytes.length / deflateSync(bytes).length;
}
