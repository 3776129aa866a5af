/**
 * Chapter markers on real timestamps. The model reads a transcript rendered `[mm:ss] Speaker: text`
 * per segment and names where chapters begin; a small model's times are approximate (or invented),
 * so each one is snapped to the nearest real segment start, and the list is made what a player
 * expects: sorted, strictly increasing, no two chapters at one start, the first at the first segment.
 */
import { clockTime, parseClockTime } from '../transcript/prompt-text';
import type { ChapterMarker } from './generation-schemas';

/** The nearest of `starts` (sorted ascending, non-empty) to `t`; a tie goes to the earlier one. */
export function nearestStart(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  // starts[lo] is the first start >= t (or the last one); its predecessor may be nearer.
  if (lo > 0 && t - starts[lo - 1] <= starts[lo] - t) return starts[lo - 1];
  return starts[lo];
}

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * Chapters from the model's `{time, title}` pairs, on the segment starts `starts` (seconds). Times
 * that are no clock are dropped; two chapters snapped to one start keep the first named; a chapter
 * repeating its predecessor's title is the same chapter; the first chapter begins at the first
 * segment (the opening belongs to it rather than to no chapter).
 */
export function snapChapters(
  raw: ReadonlyArray<{ time: string; title: string }>,
  segmentStarts: readonly number[],
  /** Where the first chapter must begin (default: the first segment); null: leave it (a later chunk of a long text). */
  first?: number | null,
): ChapterMarker[] {
  const starts = [...new Set(segmentStarts.filter((s) => Number.isFinite(s) && s >= 0).map((s) => Math.floor(s)))].sort((a, b) => a - b);
  if (!starts.length) return [];
  const snapped: Array<{ start: number; title: string }> = [];
  for (const c of raw) {
    const t = parseClockTime(c.time.replace(/^\[|\]$/g, ''));
    const title = c.title.trim().replace(/\s+/g, ' ');
    if (Number.isNaN(t) || !title) continue;
    snapped.push({ start: nearestStart(starts, t), title });
  }
  return orderChapters(snapped, first === undefined ? starts[0] : first);
}

/**
 * Players (YouTube among them) want chapters of at least 10 s; a small model working chunk by chunk
 * also marks every other line as a new topic. A chapter starting sooner than this after the one
 * before it is part of that one.
 */
export const MIN_CHAPTER_SECONDS = 10;

/**
 * Sorted by start, one chapter per start, consecutive repeats of a title merged, the first moved to
 * `first` (unless null), none shorter than MIN_CHAPTER_SECONDS.
 */
export function orderChapters(chapters: ReadonlyArray<{ start: number; title: string }>, first: number | null): ChapterMarker[] {
  const sorted = chapters.map((c, i) => ({ ...c, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  const out: ChapterMarker[] = [];
  for (const c of sorted) {
    const prev = out[out.length - 1];
    if (prev && (prev.start === c.start || norm(prev.title) === norm(c.title))) continue;
    out.push({ start: c.start, time: clockTime(c.start), title: c.title });
  }
  if (first !== null && out.length && out[0].start !== first) out[0] = { ...out[0], start: first, time: clockTime(first) };
  const spaced: ChapterMarker[] = [];
  for (const c of out) if (!spaced.length || c.start - spaced[spaced.length - 1].start >= MIN_CHAPTER_SECONDS) spaced.push(c);
  return spaced;
}
