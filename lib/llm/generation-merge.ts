/**
 * Combining the per-chunk results of a long text exactly: lists are concatenated in reading order
 * and deduplicated, never handed back to the model (which could drop entries). Caps keep a
 * 200,000-character text's answer readable; when they bite, every chunk keeps a share, so the end of
 * the text is represented as well as its start.
 */
import { orderChapters } from './chapters';
import type { ChapterMarker, Flashcard, KeyQuote, QuizQuestion } from './generation-schemas';
import { sourceLines } from './key-quotes';

/** Most entries in a merged answer. */
export const MERGED_CAP = { flashcards: 40, quiz: 20, key_quotes: 12 } as const;

export const normKey = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * The lists as one, in order, without repeats (by `keyOf`), at most `cap` entries: taken round-robin
 * over the lists (each list's first entry, then each one's second, …), then put back in reading order.
 */
export function mergeLists<T>(lists: ReadonlyArray<readonly T[]>, keyOf: (t: T) => string, cap: number): T[] {
  const seen = new Set<string>();
  const unique = lists.map((l) =>
    l.filter((t) => {
      const k = keyOf(t);
      if (!k || seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  );
  const picked: Array<[number, number]> = [];
  for (let r = 0; picked.length < cap && unique.some((l) => l.length > r); r++) {
    for (let i = 0; i < unique.length && picked.length < cap; i++) if (unique[i].length > r) picked.push([i, r]);
  }
  picked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return picked.map(([i, r]) => unique[i][r]);
}

export const mergeFlashcards = (lists: Flashcard[][]) => mergeLists(lists, (c) => normKey(c.front), MERGED_CAP.flashcards);
export const mergeQuiz = (lists: QuizQuestion[][]) => mergeLists(lists, (q) => normKey(q.question), MERGED_CAP.quiz);
export const mergeQuotes = (lists: KeyQuote[][]) => mergeLists(lists, (q) => normKey(q.quote), MERGED_CAP.key_quotes);

/** Chapters of consecutive chunks as one list: sorted, one per start, the first at the text's first segment. */
export const mergeChapters = (lists: ChapterMarker[][], firstStart: number) => orderChapters(lists.flat(), firstStart);

/**
 * The speakers of a text whose lines are speaker turns ("Priya: …", or a transcript's
 * "[00:12] Speaker 1: …"), in order of first appearance; none when fewer than half its lines are
 * turns (then a "Word:" at a line start is more likely a label than a person).
 */
export function speakersOf(text: string): string[] {
  const lines = sourceLines(text);
  const turns = lines.filter((l) => l.speaker);
  if (!lines.length || turns.length * 2 < lines.length) return [];
  return [...new Set(turns.map((l) => l.speaker!))];
}
