/**
 * Cutting a text into the pieces an engine translates one at a time, and putting the translations
 * back together. Each piece is a line, or — when a line is longer than `maxChars` — a run of whole
 * sentences up to `maxChars` (a sentence longer than that is cut at a space). The whitespace around
 * pieces (newlines, blank lines, indentation) is kept verbatim as glue, so paragraphs and the
 * one-segment-per-line layout of transcripts survive translation, and output maps 1:1 to input.
 */

export interface Segmented {
  /** What to translate, in order; never empty, never containing a newline, trimmed. */
  pieces: string[];
  /** Whitespace around the pieces: `glue[0] piece[0] glue[1] … piece[n-1] glue[n]`. */
  glue: string[];
}

/** Sentence ends: terminal punctuation (with closing quotes/brackets) followed by whitespace. */
const SENTENCE_END = /(?<=[.!?…。！？]["'”’)\]]*)\s+/u;

export function segmentText(text: string, maxChars: number): Segmented {
  if (maxChars < 1) throw new Error('maxChars must be positive');
  const pieces: string[] = [];
  const glue: string[] = [];
  let pending = '';
  // Lines and the whitespace between them, alternately: tokens at odd indexes are whitespace runs containing a newline.
  for (const token of text.split(/(\s*\n\s*)/u)) {
    if (/\n/u.test(token)) {
      pending += token;
      continue;
    }
    const lead = /^\s*/u.exec(token)![0];
    const body = token.trim();
    pending += lead;
    if (!body) {
      pending += token.slice(lead.length);
      continue;
    }
    const parts = splitLine(body, maxChars);
    parts.forEach((p, i) => {
      glue.push(i === 0 ? pending : p.before);
      pieces.push(p.text);
    });
    pending = token.slice(lead.length + body.length);
  }
  glue.push(pending);
  return { pieces, glue };
}

/** Reassembles translations of `segmented.pieces` with the original whitespace. */
export function joinSegments(segmented: Segmented, translated: readonly string[]): string {
  if (translated.length !== segmented.pieces.length) throw new Error(`joinSegments: ${translated.length} translations for ${segmented.pieces.length} pieces`);
  let out = segmented.glue[0];
  translated.forEach((t, i) => (out += t + segmented.glue[i + 1]));
  return out;
}

const length = (s: string) => Array.from(s).length;

/** A piece of a line and the whitespace that preceded it in the line ('' for the first, or a hard cut). */
interface Part {
  before: string;
  text: string;
}

/** One line → pieces of at most maxChars code points, cut at sentence ends (else at spaces, else anywhere). */
function splitLine(line: string, maxChars: number): Part[] {
  if (length(line) <= maxChars) return [{ before: '', text: line }];
  // Sentences and the whitespace after each, alternately (capturing split).
  const tokens = line.split(new RegExp(`(${SENTENCE_END.source})`, 'u'));
  const out: Part[] = [];
  let current: Part | undefined;
  let gap = '';
  for (let i = 0; i < tokens.length; i += 2) {
    const parts = length(tokens[i]) <= maxChars ? [{ before: '', text: tokens[i] }] : cutLong(tokens[i], maxChars);
    parts.forEach((part, j) => {
      const before = j === 0 ? gap : part.before;
      if (current && length(current.text) + length(before) + length(part.text) <= maxChars) current.text += before + part.text;
      else {
        if (current) out.push(current);
        current = { before: out.length || current ? before : '', text: part.text };
      }
    });
    gap = tokens[i + 1] ?? '';
  }
  if (current) out.push(current);
  return out;
}

/** A sentence over the limit: cut at the last space before it, or hard at the limit when there is none. */
function cutLong(sentence: string, maxChars: number): Part[] {
  const out: Part[] = [];
  let rest = Array.from(sentence);
  let before = '';
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const cut = space > 0 ? space : maxChars;
    out.push({ before, text: rest.slice(0, cut).join('') });
    rest = rest.slice(cut);
    let ws = 0;
    while (rest[ws] === ' ') ws++;
    before = rest.slice(0, ws).join('');
    rest = rest.slice(ws);
  }
  if (rest.length) out.push({ before, text: rest.join('') });
  return out;
}
