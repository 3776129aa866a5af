/** Where speaker embeddings are taken, and how their cluster labels become speaker turns. */
import type { SpeechRegion } from '../vad/segments';
import type { SpeakerTurn } from './types';
import { round3 } from '../round';

export interface EmbeddingWindow {
  start: number;
  end: number;
}

/**
 * Sliding windows over one speech region: `length` seconds every `hop` seconds, the last one flush with
 * the region's end; a region shorter than `length` is one window.
 */
export function regionWindows(r: SpeechRegion, length: number, hop: number): EmbeddingWindow[] {
  if (r.end - r.start <= length) return [{ start: r.start, end: r.end }];
  const out: EmbeddingWindow[] = [];
  let s = r.start;
  for (; s + length < r.end; s += hop) out.push({ start: s, end: s + length });
  out.push({ start: r.end - length, end: r.end });
  return out;
}

const FRAME_S = 0.01;

/**
 * Speaker turns: every 10 ms of speech takes the label of the window whose centre is nearest (so where
 * windows overlap a change, each side keeps its own speaker and the boundary falls between centres);
 * runs of one label become turns, and turns never span a silence.
 */
export function labelTurns(regions: SpeechRegion[], windows: EmbeddingWindow[], labels: number[]): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  const centres = windows.map((w) => (w.start + w.end) / 2);
  let j = 0; // windows and regions are both in time order
  for (const r of regions) {
    let cur: SpeakerTurn | null = null;
    for (let t = r.start; t < r.end - 1e-9; t += FRAME_S) {
      const mid = Math.min(t + FRAME_S / 2, r.end);
      while (j + 1 < centres.length && Math.abs(centres[j + 1] - mid) <= Math.abs(centres[j] - mid)) j++;
      const speaker = String(labels[j]);
      const end = Math.min(t + FRAME_S, r.end);
      if (cur && cur.speaker === speaker) cur.end = end;
      else {
        if (cur) turns.push(cur);
        cur = { start: t, end, speaker };
      }
    }
    if (cur) turns.push(cur);
  }
  return turns.map((t) => ({ ...t, start: round3(t.start), end: round3(t.end) }));
}
