/**
 * Extractive pre-selection for a brief summary of a long text: reading the prompt is most of a
 * brief's time on a CPU (a 1,500-word transcript is ~2,200 prompt tokens, ~5/6 of the wall time),
 * and a 2–4 sentence summary can only carry the text's key facts anyway. So the sentences that
 * carry the facts a brief must keep — numbers, amounts, dates, names of people, places and things —
 * are chosen greedily by how many facts not yet covered each adds per token, and kept in their
 * original order with their speaker; acknowledgements ("Right.", "Agreed, let's move on.") and
 * repetitions of a fact already kept are what is left out.
 *
 * Tuned on the tests' planted transcript (test/helpers/planted-transcript.ts) only; the bench's
 * held-out planted set (bench/data/llm/) is what it is reported on.
 */

/** Texts up to this many tokens are summarized whole (short ones read fast, and every sentence counts). */
export const BRIEF_SELECT_ABOVE_TOKENS = 600;
/** A selection keeps about this share of the text's tokens... */
export const BRIEF_SELECT_SHARE = 0.35;
/** ...and never fewer than this many. */
export const BRIEF_SELECT_MIN_TOKENS = 800;

/** "Name: words" at the start of a line: a transcript's speaker turn (as in summary-prompts.ts). */
const TURN = /^\s*([\p{L}][\p{L}\p{N} .'-]{0,40}):\s+(.*)$/u;
const NUMBER_WORDS = new Set(
  'two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion half quarter'.split(' '),
);
const UNIT_WORDS = new Set('euros euro dollars dollar pounds pound francs franc percent yen kilometers kilometres meters metres hours days weeks months'.split(' '));
/** Capitalised words that name nothing (sentence openers after a comma, pronouns). */
const NOT_NAMES = new Set(['i', "i'll", "i'm", "i've", "i'd", 'ok', 'okay']);

interface Sentence {
  index: number;
  /** With its speaker ("Tomasz: The total budget is 48,000 euros."). */
  text: string;
  facts: Set<string>;
}

/** The fact-bearing tokens of one sentence, normalised (numbers without separators, names lower-cased). */
export function sentenceFacts(sentence: string): Set<string> {
  const facts = new Set<string>();
  for (const m of sentence.matchAll(/\d[\d,.]*\d|\d/g)) facts.add(`#${m[0].replace(/[,.](?=\d{3}\b)/g, '')}`);
  if (sentence.includes('%')) facts.add('percent');
  const words = sentence.split(/\s+/);
  words.forEach((raw, i) => {
    const w = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!w) return;
    const lower = w.toLowerCase();
    // "sixty-five" is one number; "two-factor" names "two".
    const numberParts = lower.split('-').filter((p) => NUMBER_WORDS.has(p));
    if (numberParts.length) facts.add(`#${numberParts.join('-')}`);
    if (UNIT_WORDS.has(lower)) facts.add(lower);
    // A capitalised word inside a sentence names someone or something (a sentence's first word may just be capitalised).
    if (i > 0 && /^\p{Lu}/u.test(w) && !NOT_NAMES.has(lower)) facts.add(lower);
  });
  return facts;
}

function sentencesOf(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const line of text.split(/\n+/)) {
    const turn = TURN.exec(line);
    const speaker = turn ? turn[1].trim() : '';
    for (const s of (turn ? turn[2] : line).split(/(?<=[.!?])\s+/)) {
      const t = s.trim();
      if (t) out.push({ index: out.length, text: speaker ? `${speaker}: ${t}` : t, facts: sentenceFacts(t) });
    }
  }
  return out;
}

/**
 * The fact-bearing sentences of `text` within about `budgetTokens` (estimated from the text's own
 * characters per token), in their original order, one per line with its speaker. Stops early once
 * no sentence adds a fact not yet kept, so it is often well under the budget.
 */
export function selectForBrief(text: string, totalTokens: number, budgetTokens: number): string {
  const sentences = sentencesOf(text);
  const charsPerToken = text.length / Math.max(1, totalTokens);
  const cost = (s: Sentence) => s.text.length / charsPerToken;
  const covered = new Set<string>();
  const chosen = new Set<number>();
  let used = 0;
  for (;;) {
    let best: Sentence | undefined;
    let bestGain = 0;
    for (const s of sentences) {
      if (chosen.has(s.index) || used + cost(s) > budgetTokens) continue;
      let fresh = 0;
      for (const f of s.facts) if (!covered.has(f)) fresh++;
      // New facts per token, with a few tokens' overhead so one-fact fragments do not win on length alone.
      const gain = fresh / (cost(s) + 8);
      if (gain > bestGain) {
        best = s;
        bestGain = gain;
      }
    }
    if (!best) break;
    chosen.add(best.index);
    used += cost(best);
    for (const f of best.facts) covered.add(f);
  }
  return sentences.filter((s) => chosen.has(s.index)).map((s) => s.text).join('\n');
}

/** How many tokens a brief's selection may use for a text of `totalTokens` (no selection at or under the threshold). */
export function briefBudget(totalTokens: number): number | undefined {
  if (totalTokens <= BRIEF_SELECT_ABOVE_TOKENS) return undefined;
  return Math.max(BRIEF_SELECT_MIN_TOKENS, Math.round(totalTokens * BRIEF_SELECT_SHARE));
}
