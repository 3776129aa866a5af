import type { Segment, Transcript } from '../transcript/types';
import type { DroppedRegion } from './coverage';
import type { ChunkSegment } from './types';
import { round3 as r3 } from '../round';

/** One VAD chunk's recognised segments, times relative to the chunk start. */
export interface TranscriptPart {
  chunkStart: number;
  chunkEnd: number;
  segments: ChunkSegment[];
  /** Speech regions (chunk-relative seconds) left without text, and why (lib/asr/coverage.ts). */
  dropped?: DroppedRegion[];
  /** Regions decoded a second time because the chunk's pass skipped them. */
  redecoded?: number;
}


/**
 * Joins chunk results into the contract's transcript: absolute times, clean text, ordered words.
 * Two invariants hold whatever the chunks say: segments never overlap (a start before the previous
 * end moves to it), and a word is never on both sides of a boundary (the same word starting before
 * the previous segment's last word ended is the same utterance decoded twice, and is dropped).
 */
export function assembleTranscript(
  parts: TranscriptPart[],
  meta: { model: string; language: string; languageProbability?: number; duration: number },
): Transcript {
  const segments: Segment[] = [];
  for (const part of parts) {
    for (const s of part.segments) {
      const text = s.text.trim();
      if (!text) continue;
      const start = r3(part.chunkStart + s.start);
      const end = r3(Math.min(part.chunkEnd, part.chunkStart + s.end));
      const words = s.words
        .map((w) => ({
          word: w.word.trim(),
          start: r3(Math.min(Math.max(part.chunkStart + w.start, start), end)),
          end: r3(Math.min(Math.max(part.chunkStart + w.end, start), end)),
          probability: r3(w.probability),
        }))
        .filter((w) => w.word);
      pushSegment(segments, { start, end: Math.max(end, start), text, confidence: r3(s.confidence), words });
    }
  }
  return {
    text: segments.map((s) => s.text).join(' '),
    language: meta.language,
    ...(meta.languageProbability !== undefined ? { language_probability: r3(meta.languageProbability) } : {}),
    duration: r3(meta.duration),
    segments,
    speakers: [],
    model: meta.model,
  };
}

const norm = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

function pushSegment(segments: Segment[], seg: Segment): void {
  const prev = segments[segments.length - 1];
  if (prev) {
    const lastWord = prev.words[prev.words.length - 1];
    const first = seg.words[0];
    if (lastWord && first && norm(first.word) && norm(first.word) === norm(lastWord.word) && first.start < lastWord.end) {
      seg.words = seg.words.slice(1);
      const rest = seg.text.replace(/^\s*\S+\s*/u, '');
      if (norm(seg.text.slice(0, seg.text.length - rest.length)) === norm(first.word)) seg.text = rest;
      if (!seg.text.trim()) return;
    }
    if (seg.start < prev.end) {
      seg.start = prev.end;
      seg.end = Math.max(seg.end, seg.start);
      seg.words = seg.words.map((w) => ({ ...w, start: Math.max(w.start, seg.start), end: Math.max(w.end, seg.start) }));
    }
  }
  segments.push(seg);
}
