/**
 * Text → sentences → clauses, the units Piper synthesizes (one graph run per sentence) and phonemizes
 * (espeak-ng clauses, each keeping its terminator as Piper does). Splitting is ours rather than
 * espeak's so a long text becomes bounded graph runs, synthesized and heartbeated in order.
 */

/** A clause's text and the punctuation that ended it ('' when none). */
export interface Clause {
  text: string;
  terminator: '' | ',' | ':' | ';' | '.' | '!' | '?';
}

/** Abbreviations whose full stop ends no sentence (espeak reads them as words). */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'vs', 'etc', 'e.g', 'i.e', 'no', 'mt', 'inc', 'ltd', 'co']);

/** A sentence longer than this is cut at its last comma or space before it (one graph run stays small). */
export const MAX_SENTENCE_CHARS = 400;

/** "Dr. Smith", "e.g. this", a single initial ("J. Smith"): a full stop that ends no sentence. */
function abbreviationBefore(text: string, dot: number): boolean {
  const word = (/(\S+)$/.exec(text.slice(0, dot))?.[1] ?? '').toLowerCase().replace(/^\W+/, '');
  return ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word);
}

export function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let start = 0;
  const re = /[.!?]+["')\]]*(?=\s|$)/g;
  for (let m = re.exec(flat); m; m = re.exec(flat)) {
    const end = m.index + m[0].length;
    if (m[0] === '.' && abbreviationBefore(flat, m.index)) continue;
    out.push(flat.slice(start, end).trim());
    start = end;
  }
  if (start < flat.length) out.push(flat.slice(start).trim());
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s)).flatMap(bound);
}

function bound(sentence: string): string[] {
  const parts: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_SENTENCE_CHARS) {
    const head = rest.slice(0, MAX_SENTENCE_CHARS);
    const cut = Math.max(head.lastIndexOf(', ') + 1, 0) || head.lastIndexOf(' ') || MAX_SENTENCE_CHARS;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** A sentence's clauses: split after , : ; and the final . ! ? (each followed by a space or the end). */
export function splitClauses(sentence: string): Clause[] {
  const out: Clause[] = [];
  const re = /([,:;.!?])[.!?"')\]]*(?=\s|$)/g;
  let start = 0;
  for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
    if (m[0] === '.' && abbreviationBefore(sentence, m.index)) continue;
    const text = sentence.slice(start, m.index).trim();
    start = m.index + m[0].length;
    if (/[\p{L}\p{N}]/u.test(text)) out.push({ text, terminator: m[1] as Clause['terminator'] });
  }
  const tail = sentence.slice(start).trim();
  if (/[\p{L}\p{N}]/u.test(tail)) out.push({ text: tail, terminator: '' });
  return out;
}
