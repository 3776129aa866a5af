import type { WordTiming } from './alignment';
import { median } from './math';
import type { RawSegment } from './segments';
import type { ChunkSegment, ChunkWord } from './types';
import { mergePunctuation } from './words';
import { round3 as round } from '../round';

const SENTENCE_END = '.。!！?？';

/**
 * Distributes aligned words over their segments with openai-whisper's add_word_timestamps heuristics (cap
 * implausibly long words, reconcile word and segment edges), then enforces what callers rely on: words are
 * monotonic, inside their segment, with non-negative durations, and segments do not overlap.
 */
export function attachWords(segments: RawSegment[], base: ChunkSegment[], alignment: WordTiming[], duration: number): ChunkSegment[] {
  const durations = alignment.map((w) => w.end - w.start).filter((d) => d > 0);
  const medianDuration = Math.min(0.7, median(durations));
  const maxDuration = medianDuration * 2;

  if (durations.length > 0) {
    for (let i = 1; i < alignment.length; i++) {
      const w = alignment[i];
      if (w.end - w.start <= maxDuration) continue;
      if (SENTENCE_END.includes(w.word)) w.end = w.start + maxDuration;
      else if (SENTENCE_END.includes(alignment[i - 1].word)) w.start = w.end - maxDuration;
    }
  }
  mergePunctuation(alignment);

  const out: ChunkSegment[] = [];
  let wordIndex = 0;
  let lastSpeech = 0;
  for (let s = 0; s < segments.length; s++) {
    const seg = { ...base[s] };
    const words: ChunkWord[] = [];
    let saved = 0;
    while (wordIndex < alignment.length && saved < segments[s].tokens.length) {
      const t = alignment[wordIndex++];
      if (t.word) words.push({ word: t.word, start: t.start, end: t.end, probability: t.probability });
      saved += t.tokens.length;
    }
    if (words.length > 0) {
      const first = words[0], last = words[words.length - 1];
      // After a pause the first word tends to absorb the silence before it: cap it.
      if (first.end - lastSpeech > medianDuration * 4 &&
          (first.end - first.start > maxDuration || (words.length > 1 && words[1].end - first.start > maxDuration * 2))) {
        if (words.length > 1 && words[1].end - words[1].start > maxDuration) {
          const boundary = Math.max(words[1].end / 2, words[1].end - maxDuration);
          first.end = words[1].start = boundary;
        }
        first.start = Math.max(0, first.end - maxDuration);
      }
      if (seg.start < first.end && seg.start - 0.5 > first.start) first.start = Math.max(0, Math.min(first.end - medianDuration, seg.start));
      else seg.start = first.start;
      if (seg.end > last.start && seg.end + 0.5 < last.end) last.end = Math.max(last.start + medianDuration, seg.end);
      else seg.end = last.end;
      lastSpeech = seg.end;
    }
    seg.words = words;
    out.push(seg);
  }
  return enforceOrder(out, duration);
}

function enforceOrder(segments: ChunkSegment[], duration: number): ChunkSegment[] {
  let prevEnd = 0;
  for (const seg of segments) {
    seg.start = round(Math.min(Math.max(seg.start, prevEnd), duration));
    seg.end = round(Math.min(Math.max(seg.end, seg.start), duration));
    let t = seg.start;
    for (const w of seg.words) {
      w.start = round(Math.min(Math.max(w.start, t), seg.end));
      w.end = round(Math.min(Math.max(w.end, w.start), seg.end));
      t = w.end;
    }
    prevEnd = seg.end;
  }
  return segments;
}
