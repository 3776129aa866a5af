/**
 * Every speech region the VAD found ends up in the transcript, or is reported as dropped with a
 * reason. Whisper's decoder sometimes ends a window early (end-of-text after a timestamp with
 * speech still to come) or jumps over a sentence; openai-whisper hides this by re-seeking, a
 * fixed-chunk decoder loses the speech silently. After the chunk's pass, each region its words
 * (or, without word timings, its segments) do not cover is decoded again on its own audio; what
 * still yields no text is returned in `dropped` with why.
 */
import type { SpeechRegion } from '../vad/segments';
import type { ChunkSegment, SpeechRecognizer } from './types';

const SAMPLE_RATE = 16_000;
/** Regions shorter than this are not re-decoded (a breath, a click). */
export const MIN_UNCOVERED_S = 0.6;
/** A region counts as covered when this share of it lies under recognised words/segments. */
export const MIN_COVERED_SHARE = 0.3;
/** Audio kept either side of a region decoded on its own (the VAD's edges are approximate). */
const REGION_MARGIN_S = 0.2;

export interface DroppedRegion {
  /** Seconds from the chunk's start. */
  start: number;
  end: number;
  /** no_speech: the model's no-speech probability ruled it out; no_text: it decoded to nothing. */
  reason: 'no_speech' | 'no_text';
}

export interface CoveredChunk {
  language: string;
  /** Temperature of the chunk's own pass (lib/whisper ChunkResult.temperature). */
  temperature?: number;
  segments: ChunkSegment[];
  /** Regions decoded a second time because the first pass left them uncovered. */
  redecoded: number;
  dropped: DroppedRegion[];
}

type Options = Parameters<SpeechRecognizer['transcribeChunk']>[1];

export async function transcribeCovering(
  recognizer: Pick<SpeechRecognizer, 'transcribeChunk'>,
  chunk: { start: number; pcm: Float32Array; regions: SpeechRegion[] },
  opts: Options,
): Promise<CoveredChunk> {
  const first = await recognizer.transcribeChunk(chunk.pcm, opts);
  let segments = first.segments.filter((s) => s.text.trim());
  const duration = chunk.pcm.length / SAMPLE_RATE;
  const regions = chunk.regions.map((r) => ({ start: Math.max(0, r.start - chunk.start), end: Math.min(duration, r.end - chunk.start) }));
  const dropped: DroppedRegion[] = [];
  let redecoded = 0;
  for (const r of uncovered(regions, segments)) {
    redecoded++;
    const from = Math.max(0, r.start - REGION_MARGIN_S);
    const to = Math.min(duration, r.end + REGION_MARGIN_S);
    const res = await recognizer.transcribeChunk(chunk.pcm.subarray(Math.round(from * SAMPLE_RATE), Math.round(to * SAMPLE_RATE)), opts);
    const found = res.segments.filter((s) => s.text.trim()).map((s) => shift(s, from));
    if (!found.length) {
      dropped.push({ start: r.start, end: r.end, reason: res.noSpeechProb > 0.6 ? 'no_speech' : 'no_text' });
      continue;
    }
    segments = [...segments, ...found].sort((a, b) => a.start - b.start);
  }
  return { language: first.language, temperature: first.temperature, segments, redecoded, dropped };
}

/** Coverage is judged per piece of at most this length, so a long region whose end was lost is caught too. */
const PIECE_S = 4;

/**
 * Stretches of speech (pieces of regions, joined when adjacent) that less than MIN_COVERED_SHARE
 * of is under a recognised word, or a segment when there are no word timings.
 */
export function uncovered(regions: SpeechRegion[], segments: ChunkSegment[]): SpeechRegion[] {
  const spans = segments.flatMap((s) => (s.words.length ? s.words.map((w) => ({ start: w.start, end: w.end })) : [{ start: s.start, end: s.end }]));
  const out: SpeechRegion[] = [];
  for (const r of regions) {
    const n = Math.max(1, Math.ceil((r.end - r.start) / PIECE_S));
    const step = (r.end - r.start) / n;
    for (let i = 0; i < n; i++) {
      const piece = { start: r.start + i * step, end: i === n - 1 ? r.end : r.start + (i + 1) * step };
      let covered = 0;
      for (const sp of spans) covered += Math.max(0, Math.min(piece.end, sp.end) - Math.max(piece.start, sp.start));
      if (covered / (piece.end - piece.start) >= MIN_COVERED_SHARE) continue;
      // The stretch lost begins where the last recognised word before it ended, not at the piece's edge: a
      // decoder that ended its window early stops mid-piece, and the piece before (still judged covered) holds
      // the first lost words (tel-es-02 lost "u ocho para salir de este menú" between 22.8 s and 25.2 s).
      let coveredTo = piece.start;
      if (i > 0) {
        coveredTo = r.start;
        for (const sp of spans) if (sp.start < piece.start && sp.end > coveredTo) coveredTo = Math.min(sp.end, piece.start);
      }
      piece.start = Math.max(r.start, coveredTo);
      const last = out[out.length - 1];
      if (last && piece.start - last.end < 0.05) last.end = piece.end;
      else out.push(piece);
    }
  }
  return out.filter((r) => r.end - r.start >= MIN_UNCOVERED_S);
}

function shift(s: ChunkSegment, by: number): ChunkSegment {
  return { ...s, start: s.start + by, end: s.end + by, words: s.words.map((w) => ({ ...w, start: w.start + by, end: w.end + by })) };
}
