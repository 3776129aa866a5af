/**
 * A summary stopped by its output budget ends mid-sentence ("… The stand"): a reader sees a broken
 * last sentence, and a map-reduce pass reads it as a fact. What the budget cut is dropped back to the
 * last complete sentence (prose) or line (lists); a text with nothing complete before the cut is kept
 * as it is (an unfinished sentence says more than nothing).
 */

/** A sentence end: terminal punctuation, possibly followed by closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？]["'”’)\]]*(?=\s|$)/g;
/** A list line: "- item", "* item", "• item", "1. item", "1) item". */
const LIST_LINE = /^\s*(?:[-*•]|\d+[.)])\s+/;

export function dropUnfinished(text: string): string {
  const t = text.trimEnd();
  const lines = t.split('\n');
  // A list: the last line is the one the budget cut (whatever its punctuation), unless it is the only item.
  if (LIST_LINE.test(lines[lines.length - 1])) {
    return lines.length > 1 ? lines.slice(0, -1).join('\n').trimEnd() : t;
  }
  let end = -1;
  for (const m of t.matchAll(SENTENCE_END)) end = m.index! + m[0].length;
  return end > 0 ? t.slice(0, end) : t;
}
