import type { Segment, Transcript } from '../transcript/types';
import type { ChunkSegment } from './types';
import { round3 as r3 } from '../round';

/** One VAD chunk's recognised segments, times relative to the chunk start. */
export interface TranscriptPart {
  chunkStart: number;
  chunkEnd: number;
  segments: ChunkSegment[];
}


/** Joins chunk results into the contract's transcript: absolute times, clean text, ordered words. */
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
      segments.push({ start, end: Math.max(end, start), text, confidence: r3(s.confidence), words });
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
