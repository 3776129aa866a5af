import { dtw, medianFilterRows } from './dtw';
import { logSumExp } from './math';
import type { CrossKv, WhisperSessions } from './sessions';
import type { WhisperTokenizer } from './tokenizer';
import { splitToWordTokens, type WordTokens } from './words';

const FRAMES_PER_SECOND = 50; // encoder positions: 1500 per 30 s
const MEDFILT_WIDTH = 7;

export interface WordTiming extends WordTokens {
  start: number;
  end: number;
  probability: number;
}

export interface AlignmentInput {
  sessions: WhisperSessions;
  cross: CrossKv;
  tok: WhisperTokenizer;
  /** [sot, language, task] */
  sotSequence: number[];
  noTimestamps: number;
  eot: number;
  nVocab: number;
  nAudioCtx: number;
  language: string;
  textTokens: number[];
  /** Mel frames that hold real audio (samples / hop); attention beyond them is padding. */
  numFrames: number;
}

/**
 * openai-whisper's find_alignment: teacher-force [sot…, notimestamps, text…, eot] through the decoder, take
 * the alignment heads' cross-attention, z-score it over tokens, median-filter it over time, average the heads
 * and DTW the result; a word starts where the path first reaches its first token.
 */
export async function findAlignment(a: AlignmentInput): Promise<WordTiming[]> {
  const n = a.textTokens.length;
  if (n === 0) return [];
  const seq = [...a.sotSequence, a.noTimestamps, ...a.textTokens, a.eot];
  const S = seq.length;
  const sot = a.sotSequence.length;
  const V = a.nVocab;
  const step = await a.sessions.step(seq, a.sessions.emptyCache(), a.cross);

  // Probability of each text token under the text-only distribution (logits[:eot]) at the step before it.
  const tokenProbs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = step.logits.subarray((sot + i) * V, (sot + i) * V + a.eot);
    tokenProbs[i] = Math.exp(row[a.textTokens[i]] - logSumExp(row));
  }

  const F = Math.max(1, Math.min(a.nAudioCtx, Math.floor(a.numFrames / 2)));
  const heads = step.attn.length / (S * a.nAudioCtx);
  const rows = n + 1; // text tokens and the EOT, i.e. seq positions sot … S-2
  const matrix = new Float64Array(rows * F);
  const w = new Float64Array(S * F);
  for (let h = 0; h < heads; h++) {
    // Re-normalise the softmax over the frames that hold audio (the graph normalised over all 1500).
    for (let t = 0; t < S; t++) {
      const src = (h * S + t) * a.nAudioCtx;
      let sum = 0;
      for (let f = 0; f < F; f++) sum += step.attn[src + f];
      const inv = sum > 0 ? 1 / sum : 0;
      for (let f = 0; f < F; f++) w[t * F + f] = step.attn[src + f] * inv;
    }
    // z-score each frame's column over all token positions (population std, like unbiased=False).
    for (let f = 0; f < F; f++) {
      let mean = 0;
      for (let t = 0; t < S; t++) mean += w[t * F + f];
      mean /= S;
      let v = 0;
      for (let t = 0; t < S; t++) v += (w[t * F + f] - mean) ** 2;
      const std = Math.sqrt(v / S) || 1;
      for (let t = 0; t < S; t++) w[t * F + f] = (w[t * F + f] - mean) / std;
    }
    medianFilterRows(w, S, F, MEDFILT_WIDTH);
    for (let r = 0; r < rows; r++) {
      const src = (sot + r) * F;
      for (let f = 0; f < F; f++) matrix[r * F + f] += w[src + f] / heads;
    }
  }
  for (let i = 0; i < matrix.length; i++) matrix[i] = -matrix[i];

  const { rowIdx, colIdx } = dtw(matrix, rows, F);
  // Time at which the path first enters each row: jump_times in the reference.
  const jumpTimes: number[] = [];
  for (let k = 0; k < rowIdx.length; k++) {
    if (k === 0 || rowIdx[k] !== rowIdx[k - 1]) jumpTimes.push(colIdx[k] / FRAMES_PER_SECOND);
  }

  const words = splitToWordTokens(a.textTokens, a.tok, a.language);
  const out: WordTiming[] = [];
  let b = 0;
  for (const wt of words) {
    const e = b + wt.tokens.length;
    let p = 0;
    for (let i = b; i < e; i++) p += tokenProbs[i];
    out.push({ ...wt, start: jumpTimes[b], end: jumpTimes[e], probability: p / wt.tokens.length });
    b = e;
  }
  return out;
}
