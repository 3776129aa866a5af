/**
 * action_items: the commitment sentences (summary-prompts.ts commitmentLines), each with its owner
 * decided by rule where the words say it — "I will …" is the speaker's task, "Ben, can you …" is
 * Ben's — and fixed in the grammar, so the model only words the task and its deadline. Given the
 * owner choice itself, the 0.5B swapped owners between neighbouring lines (measured here).
 */
import { commitmentLines } from './summary-prompts';
import { turns } from './analysis-text';
import type { ActionItemsResult } from './analysis-schemas';

export interface Commitment {
  /** "Speaker: sentence", as the model sees it. */
  line: string;
  /** The owner by rule; null: the model picks among `candidates` (or none). */
  owner: string | null;
  candidates: string[];
}

const FIRST_PERSON = /\b(i will|i'll|i am going to|i'm going to|i can take)\b/i;
const REQUEST = /\b(can you|could you|will you|would you|please)\b/i;
/** "Ben, can you …" / "Ben, please …" (after an optional "Great," / "Yes,"). */
const ADDRESSED_FIRST = /^(?:[\p{L}'’]+[,!.]\s+)*?(\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+)?),\s+(?:can you|could you|will you|would you|please)\b/u;
/** "… by Friday, Ben?" */
const ADDRESSED_LAST = /,\s*(\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+)?)\s*[?.!]*$/u;
/** "Let's start / move on …": how a meeting moves along, not a task. */
const MEETING_FLOW = /\blet['’]s (?:be|start|begin|move on|continue|go on|wrap up|get started|talk about|look at|discuss)\b/iu;
const NOT_NAMES = new Set(['I', 'We', 'You', 'Yes', 'Sure', 'Great', 'Right', 'Okay', 'Ok', 'So', 'And', 'Then', 'Please', 'Thanks', 'Agreed', 'Perfect', 'Good', 'Also', 'But']);

export function commitments(text: string): Commitment[] {
  const speakers = [...new Set(turns(text).map((t) => t.speaker).filter((s): s is string => !!s))];
  const out: Commitment[] = [];
  for (const line of commitmentLines(turns(text).map((t) => (t.speaker ? `${t.speaker}: ${t.text}` : t.text)).join('\n'))) {
    const turn = /^([^:]{1,60}):\s+(.*)$/.exec(line);
    const speaker = turn && speakers.includes(turn[1]) ? turn[1] : null;
    const said = speaker ? turn![2] : line;
    if (MEETING_FLOW.test(said)) continue;
    const addressed = REQUEST.test(said) ? (ADDRESSED_FIRST.exec(said)?.[1] ?? ADDRESSED_LAST.exec(said)?.[1]) : undefined;
    let owner: string | null = null;
    if (addressed && !NOT_NAMES.has(addressed)) owner = addressed;
    else if (FIRST_PERSON.test(said) && speaker) owner = speaker;
    const named = [...said.matchAll(/\b\p{Lu}[\p{L}'’-]+/gu)].map((m) => m[0]).filter((w) => !NOT_NAMES.has(w) && speakers.includes(w));
    out.push({ line, owner, candidates: [...new Set([...named, ...speakers])] });
  }
  return out;
}

const words = (s: string) => new Set(s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').split(' ').filter((w) => w.length > 2));

/**
 * The same task said twice (asked, then accepted: "Tomasz, can you send the budget?" / "Yes, I
 * will send the budget by Friday") is one item: same owner and mostly the same words. The first
 * wording stays, with a deadline from the other when it had none.
 */
export function dedupeActions(items: ActionItemsResult): ActionItemsResult {
  const out: ActionItemsResult = [];
  for (const a of items) {
    const w = words(a.task);
    const same = out.find((b) => {
      if ((b.owner ?? '').toLowerCase() !== (a.owner ?? '').toLowerCase()) return false;
      const v = words(b.task);
      const common = [...w].filter((x) => v.has(x)).length;
      return common / Math.max(1, Math.min(w.size, v.size)) >= 0.6;
    });
    if (!same) out.push({ ...a });
    else if (!same.due && a.due) same.due = a.due;
  }
  return out;
}
