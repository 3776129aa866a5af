/**
 * Key quotes that are real. The model proposes quotes; each is looked up in the input and returned
 * as the input's own words (the matched span, or the one sentence it plainly paraphrases), with the
 * speaker and time of the line it is on. A proposal found nowhere in the input is dropped: a quote
 * the speaker never said is worse than none.
 */
import { clockTime, promptLines } from '../transcript/prompt-text';
import type { KeyQuote } from './generation-schemas';

export interface SourceLine {
  /** What was said, without the line's `[mm:ss] Speaker:` prefix. */
  text: string;
  speaker?: string;
  time?: string;
}

/** "Name: words" at the start of a line of plain text: a speaker turn. */
const TURN = /^\s*([\p{L}][\p{L}\p{N} .'-]{0,40}):\s+(.*)$/u;

/** The input's lines with their speakers (and times, for a transcript rendered by prompt-text.ts). */
export function sourceLines(text: string): SourceLine[] {
  const timed = promptLines(text);
  if (timed.length) return timed.map((l) => ({ text: l.text, speaker: l.speaker, time: clockTime(l.start) }));
  return text
    .split(/\n+/)
    .filter((l) => l.trim())
    .map((l) => {
      const m = TURN.exec(l);
      return m ? { text: m[2].trim(), speaker: m[1].trim() } : { text: l.trim() };
    });
}

/** Lowercased letters and digits with single spaces between words, and where each kept character came from. */
export function normalizeWithMap(s: string): { norm: string; from: number[] } {
  let norm = '';
  const from: number[] = [];
  let gap = false;
  let i = 0;
  for (const ch of s) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      if (gap && norm) {
        norm += ' ';
        from.push(i);
      }
      gap = false;
      for (const c of ch.toLowerCase()) {
        norm += c;
        from.push(i);
      }
    } else gap = true;
    i += ch.length;
  }
  return { norm, from };
}

const normalize = (s: string) => normalizeWithMap(s).norm;
const words = (s: string) => normalize(s).split(' ').filter(Boolean);

/** Quotes shorter than this many words say nothing on their own ("Yes, thanks"). */
export const MIN_QUOTE_WORDS = 4;

/**
 * The proposal as the input's words: an exact match (ignoring case, punctuation and spacing, on
 * word boundaries) within one line gives that span of the line, closing punctuation included;
 * otherwise a sentence that shares nearly all its words with the proposal (both ways, ≥ 80%) is
 * the quote; otherwise undefined.
 */
export function locateQuote(proposal: string, lines: readonly SourceLine[]): KeyQuote | undefined {
  // The model often copies the line's `[mm:ss] Speaker:` prefix along with the words: the quote is what follows it.
  const bare = proposal.replace(/^\s*\[?(?:\d+:)?\d{1,2}:\d{2}\]?\s*/, '').replace(TURN, '$2');
  for (const candidate of new Set([proposal, bare])) {
    const found = exactQuote(candidate, lines);
    if (found) return found;
  }
  return paraphrased(bare, lines);
}

function exactQuote(proposal: string, lines: readonly SourceLine[]): KeyQuote | undefined {
  const q = normalize(proposal);
  if (q.split(' ').length < MIN_QUOTE_WORDS) return undefined;
  for (const line of lines) {
    const { norm, from } = normalizeWithMap(line.text);
    const at = ` ${norm} `.indexOf(` ${q} `);
    if (at < 0) continue;
    // `at` indexes the padded string: it is the match's start in `norm`.
    const begin = from[at];
    const last = from[at + q.length - 1];
    let end = last + String.fromCodePoint(line.text.codePointAt(last)!).length;
    const close = /^[.!?…]+["”’']?/u.exec(line.text.slice(end));
    if (close) end += close[0].length;
    return attributed(line.text.slice(begin, end).trim(), line);
  }
  return undefined;
}

/** Not verbatim: the sentence the proposal plainly paraphrases (the closest, when one is that close). */
function paraphrased(proposal: string, lines: readonly SourceLine[]): KeyQuote | undefined {
  const qw = new Set(words(proposal));
  if (qw.size < MIN_QUOTE_WORDS) return undefined;
  let best: { sentence: string; line: SourceLine; score: number } | undefined;
  for (const line of lines) {
    for (const sentence of line.text.split(/(?<=[.!?…])\s+/)) {
      const sw = words(sentence);
      if (sw.length < MIN_QUOTE_WORDS) continue;
      const shared = sw.filter((w) => qw.has(w)).length;
      const score = Math.min(shared / sw.length, new Set(sw.filter((w) => qw.has(w))).size / qw.size);
      if (score >= 0.8 && (!best || score > best.score)) best = { sentence: sentence.trim(), line, score };
    }
  }
  return best ? attributed(best.sentence, best.line) : undefined;
}

function attributed(quote: string, line: SourceLine): KeyQuote {
  return { quote, ...(line.speaker ? { speaker: line.speaker } : {}), ...(line.time ? { time: line.time } : {}) };
}

/**
 * The real quotes among the proposals, in order, each once: duplicates (ignoring case and
 * punctuation) and quotes contained in an earlier kept one are dropped, at most `max` kept.
 */
export function realQuotes(proposals: readonly string[], lines: readonly SourceLine[], max: number): KeyQuote[] {
  const kept: KeyQuote[] = [];
  const norms: string[] = [];
  for (const p of proposals) {
    const found = locateQuote(p, lines);
    if (!found) continue;
    const n = ` ${normalize(found.quote)} `;
    if (norms.some((k) => k.includes(n) || n.includes(k))) continue;
    kept.push(found);
    norms.push(n);
    if (kept.length >= max) break;
  }
  return kept;
}
