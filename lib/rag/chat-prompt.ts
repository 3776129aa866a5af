/**
 * The LLM's part of a chat turn: the retrieved segments numbered in transcript order, the session's
 * last turns, the question; the answer is JSON `{"cited", "answer"}` under the runtime's
 * grammar (lib/llm/json-schema.ts). Kept short: prompt evaluation is the cost on a CPU, and the
 * small models follow short, concrete instructions best.
 */
import type { ChatSource, ChatTurn } from './chat-documents';

/** What the caller is told when the transcript does not hold the answer. */
export const NOT_IN_TRANSCRIPT = 'This is not in the transcript.';

/** Earlier turns shown to the model: enough to resolve "and who will do it?", few enough to stay cheap. */
export const PROMPT_TURNS = 2;
const TURN_CHARS = 400;

export interface Passage {
  order: number;
  start: number;
  speaker?: string;
  /** The segment's text (what the model reads). */
  text: string;
  score: number;
}

/**
 * `cited` comes first: the model picks the passages that answer, then answers from them (a small
 * model's separate found/not-found flag measured unreliable here: it said false beside right answers).
 */
export const CHAT_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    cited: { type: 'array', items: { type: 'integer' }, maxItems: 6 },
    answer: { type: 'string' },
  },
} as const;

export interface ChatModelAnswer {
  answer: string;
  cited: number[];
}

/** What the model is told to answer when the passages do not hold the answer. */
const ABSENT_REPLY = 'not in the transcript';

export const CHAT_SYSTEM =
  'You answer questions about a recorded conversation, using only the numbered passages from its transcript. ' +
  `If the passages do not contain the answer, the answer is "${ABSENT_REPLY}". Never use outside knowledge.`;

const oneLine = (s: string, max: number) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

/** Passages are numbered 1..n in the order given (the caller sorts them by time). */
export function chatPrompt(passages: Passage[], history: ChatTurn[], question: string): string {
  const lines = passages.map((p, i) => `[${i + 1}] ${p.speaker ? `${p.speaker}: ` : ''}${oneLine(p.text, 1200)}`);
  const turns = history.slice(-PROMPT_TURNS).flatMap((t) => [`User: ${oneLine(t.question, TURN_CHARS)}`, `Assistant: ${oneLine(t.answer, TURN_CHARS)}`]);
  return [
    'Passages from the transcript:',
    ...lines,
    '',
    ...(turns.length ? ['Conversation so far:', ...turns, ''] : []),
    `Question: ${oneLine(question, 2000)}`,
    '',
    'Reply in JSON: "cited" (the numbers of the passages that answer the question; [] if none does) and "answer" ' +
      `(a short answer from those passages; words like "it" or "they" refer to the conversation so far; "${ABSENT_REPLY}" if no passage answers).`,
  ].join('\n');
}

/** An answer that says, in words, that it has none (the instructed reply, or the model's own wording of it). */
const SAYS_ABSENT = /\b(not (mentioned|stated|specified|provided|given|discussed|included|found|in the (transcript|passages))|(does|do|did) not (say|mention|specify|state|contain|provide)|no (information|mention)|(is|are) not (clear|known)|unknown|cannot (be )?(determine|answer|find))\b/i;

/**
 * The turn's answer and its sources. Sources are the passages the answer is grounded in: those that
 * hold a content word of the answer ("Maria", "Friday"); when none does (a paraphrased answer), the
 * passages the model cited; when it cited none it was shown, every passage retrieved. The small
 * models' own citations measured unreliable (the 0.5B cited [2, 4] whatever the passages), so the
 * answer's words decide first. An answer the passages do not hold is said plainly, with no sources.
 */
export function interpretAnswer(model: ChatModelAnswer, passages: Passage[], sourceText: (p: Passage) => string): { answer: string; found: boolean; sources: ChatSource[] } {
  const answer = model.answer.trim();
  if (!answer || SAYS_ABSENT.test(answer)) return { answer: NOT_IN_TRANSCRIPT, found: false, sources: [] };
  const words = contentWords(answer);
  const grounded = passages.filter((p) => [...contentWords(p.text)].some((w) => words.has(w)));
  const cited = [...new Set(model.cited)].filter((n) => Number.isInteger(n) && n >= 1 && n <= passages.length).map((n) => passages[n - 1]);
  const used = grounded.length ? grounded : cited.length ? cited : passages;
  const sources = [...used]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((p) => ({ segment_order: p.order, text: sourceText(p), score: roundScore(p.score) }));
  return { answer, found: true, sources };
}

/** Words that carry no fact of their own (an answer shares them with any passage). */
const STOPWORDS = new Set(
  ('the and but for nor yet with from into onto over under about after before than then that this these those there here ' +
    'will would shall should can could may might must are was were been being has have had does did doing not its our your ' +
    'their they them she her his him you who whom what when where which why how all any some each more most other such only ' +
    'own same also just very too out off again once said says say yes one').split(' '),
);

/** Lower-cased words of three letters or more that are not stopwords. */
export function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w)));
}

export const roundScore = (s: number) => Math.round(s * 10_000) / 10_000;

/**
 * What retrieval embeds for a turn: the question, and for a follow-up also the previous question
 * with it ("and who will do it?" alone names nothing; with "when will the lease be signed?" it does).
 * Each segment scores its best over these, so a follow-up that changes the subject still finds its own.
 */
export function retrievalQueries(question: string, history: ChatTurn[]): string[] {
  const q = oneLine(question, 2000);
  const last = history[history.length - 1];
  return last ? [q, `${oneLine(last.question, TURN_CHARS)} ${q}`] : [q];
}
