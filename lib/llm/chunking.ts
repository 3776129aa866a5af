/**
 * Splitting a long text into pieces that each fit a token budget, at the most natural boundary
 * available: lines (a transcript's speaker turns), then sentences, then words. Piece sizes are
 * planned from the text's measured characters-per-token and each piece is checked with the real
 * tokenizer, so a piece never overflows the context whatever the language or script.
 */

/** Units in reading order, none longer than maxChars (a unit never crosses a line break unless it has to). */
export function splitUnits(text: string, maxChars: number): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const t = line.trim();
    if (!t) continue;
    if (t.length <= maxChars) {
      out.push(t);
      continue;
    }
    for (const sentence of t.split(/(?<=[.!?…。！？])\s+/)) {
      if (sentence.length <= maxChars) out.push(sentence);
      else out.push(...byWords(sentence, maxChars));
    }
  }
  return out;
}

function byWords(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    // A single "word" longer than the budget (no spaces: some scripts, or junk) is cut by characters.
    for (let i = 0; i < w.length; i += maxChars) {
      const piece = w.slice(i, i + maxChars);
      if (cur && cur.length + 1 + piece.length > maxChars) {
        out.push(cur);
        cur = piece;
      } else cur = cur ? `${cur} ${piece}` : piece;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Packs units greedily into pieces of at most maxChars, joined by `joiner` (newlines by default). */
export function pack(units: string[], maxChars: number, joiner = '\n'): string[] {
  const out: string[] = [];
  let cur = '';
  for (const u of units) {
    if (cur && cur.length + 1 + u.length > maxChars) {
      out.push(cur);
      cur = u;
    } else cur = cur ? `${cur}${joiner}${u}` : u;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Pieces of `text` of at most `maxTokens` each, as even as the boundaries allow. `count` is the
 * model's tokenizer; `totalTokens` the whole text's count (already measured by the caller).
 */
export async function chunkByTokens(text: string, maxTokens: number, totalTokens: number, count: (s: string) => Promise<number>): Promise<string[]> {
  const charsPerToken = Math.max(0.5, text.length / Math.max(1, totalTokens));
  // Aim for equal pieces just under the budget (a 10% margin for uneven token density).
  const pieces = Math.max(1, Math.ceil(totalTokens / (maxTokens * 0.9)));
  const target = Math.max(16, Math.floor(Math.min(text.length / pieces, maxTokens * 0.9 * charsPerToken)));
  const out: string[] = [];
  for (const piece of pack(splitUnits(text, target), target)) {
    if ((await count(piece)) <= maxTokens) out.push(piece);
    // Denser than planned (numbers, another script): split again from its own measured density
    // (at least in two, so this ends: a 16-character piece always fits).
    else out.push(...(await chunkByTokens(piece, maxTokens, await count(piece), count)));
  }
  return out;
}

/** Part summaries numbered for a combining pass. */
export const numbered = (items: string[]) => items.map((s, i) => `Part ${i + 1}: ${s}`).join('\n\n');

/** Consecutive items grouped so each group's numbered text fits the budget; at least two per group, so rounds shrink. */
export async function groupToFit(items: string[], maxTokens: number, count: (s: string) => Promise<number>): Promise<string[][]> {
  const groups: string[][] = [];
  let cur: string[] = [];
  for (const item of items) {
    if (cur.length >= 2 && (await count(numbered([...cur, item]))) > maxTokens) {
      groups.push(cur);
      cur = [];
    }
    cur.push(item);
  }
  if (cur.length) groups.push(cur);
  // A lone trailing item joins its predecessor: every group combines at least two, so rounds shrink.
  if (groups.length > 1 && groups[groups.length - 1].length === 1) groups[groups.length - 2].push(...groups.pop()!);
  return groups;
}
