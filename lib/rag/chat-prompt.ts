/**
 * The LLM's part of a chat turn: the retrieved segments numbered in transcript order, the session's
 * last turns, the question; the answer is JSON `{"answer", "found", "cited"}` under the runtime's
 * grammar (lib/llm/json-schema.ts). Kept short: prompt evaluation is the cost on a CPU, and the
 * small models follow short, concrete instructions best.
 */
import { clockTime } from '../transcript/prompt-text';
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
  /** The text retrieval matched (the segment, with neighbours when it is short). */
  text: string;
  score: number;
}

export const CHAT_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    found: { type: 'boolean' },
    cited: { type: 'array', items: { type: 'integer' }, maxItems: 6 },
  },
} as const;

export interface ChatModelAnswer {
  answer: string;
  found: boolean;
  cited: number[];
}

export const CHAT_SYSTEM =
  'You answer questions about a recorded conversation, using only the numbered passages from its transcript. ' +
  'If the passages do not contain the answer, set "found" to false. Never use outside knowledge.';

const oneLine = (s: string, max: number) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

/** Passages are numbered 1..n in the order given (the caller sorts them by time). */
export function chatPrompt(passages: Passage[], history: ChatTurn[], question: string): string {
  const lines = passages.map((p, i) => `[${i + 1}] (${clockTime(p.start)}) ${p.speaker ? `${p.speaker}: ` : ''}${oneLine(p.text, 1200)}`);
  const turns = history.slice(-PROMPT_TURNS).flatMap((t) => [`User: ${oneLine(t.question, TURN_CHARS)}`, `Assistant: ${oneLine(t.answer, TURN_CHARS)}`]);
  return [
    'Passages from the transcript:',
    ...lines,
    '',
    ...(turns.length ? ['Conversation so far:', ...turns, ''] : []),
    `Question: ${oneLine(question, 2000)}`,
    '',
    'Reply in JSON: "answer" (a short answer taken from the passages; resolve words like "it" or "they" from the conversation so far), ' +
      '"found" (false if the passages do not answer the question), "cited" (the numbers of the passages the answer comes from).',
  ].join('\n');
}

/** An answer that says, in words, that it has none (small models set found=true and then say so). */
const SAYS_ABSENT = /\b(not (mentioned|stated|specified|provided|given|discussed|included|found|in the (transcript|passages))|(does|do|did) not (say|mention|specify|state|contain|provide)|no (information|mention)|(is|are) not (clear|known)|unknown|cannot (be )?(determine|answer|find))\b/i;

/**
 * The turn's answer and its sources from the model's JSON: sources are the passages it cited (best
 * score first), or every passage retrieved when it cited none it was shown; an answer the passages do
 * not hold is said plainly, with no sources.
 */
export function interpretAnswer(model: ChatModelAnswer, passages: Passage[], sourceText: (p: Passage) => string): { answer: string; found: boolean; sources: ChatSource[] } {
  const answer = model.answer.trim();
  if (!model.found || !answer || SAYS_ABSENT.test(answer)) return { answer: NOT_IN_TRANSCRIPT, found: false, sources: [] };
  const cited = [...new Set(model.cited)].filter((n) => Number.isInteger(n) && n >= 1 && n <= passages.length).map((n) => passages[n - 1]);
  const used = cited.length ? cited : passages;
  const sources = [...used]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((p) => ({ segment_order: p.order, text: sourceText(p), score: roundScore(p.score) }));
  return { answer, found: true, sources };
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
