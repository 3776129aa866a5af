/**
 * What the model is asked for each summary style, in one pass or map-reduce. Instructions name the
 * facts readers look for (people, numbers, dates, decisions, owners) because small models otherwise
 * keep the gist and drop exactly those. Output budgets keep a summary bounded in time on a CPU.
 */
import type { SummaryStyle } from '../../workflows/model';
import type { GenerateRequest } from './types';

const SYSTEM = 'You are a precise assistant that summarizes meeting and call transcripts. Use only facts stated in the text. Never invent names, numbers or dates. Answer in the language of the text.';

const TASK: Record<SummaryStyle, string> = {
  brief:
    'Write a brief summary of the transcript in 2 to 4 sentences. Name the people involved and keep the key amounts, numbers, dates, places and decisions.',
  detailed:
    'Write a detailed summary of the transcript in a few paragraphs. Cover every topic discussed, with the names, amounts, numbers, dates, places and decisions, and end with the next steps.',
  action_items:
    'Turn these commitments from a meeting into an action item list: one line per task as "- <owner>: <task> (<deadline>)", like the example. The owner is the person who will do the task. Leave out the deadline when none was said, and merge lines about the same task.',
  bullet_points:
    'Summarize the transcript as 3 to 8 bullet points, one per line starting with "- ". Each bullet states one key point with its names, amounts, numbers and dates.',
};

/** A worked example for the action-item format: small models follow a shown format far better than a described one. */
const ACTION_EXAMPLE = `Example commitments:
Anna: Ben, can you fix the login bug?
Ben: Sure, I will fix the login bug by Monday.
Anna: I'll update the user guide.

Example action items:
- Ben: fix the login bug (by Monday)
- Anna: update the user guide

`;

/** Output tokens per style (a brief summary is short by definition; detailed ones need room). */
export const OUTPUT_TOKENS: Record<SummaryStyle, number> = { brief: 200, detailed: 600, action_items: 400, bullet_points: 400 };
/** A chunk's summary in map-reduce: short enough that many of them fit one reduce pass. */
export const MAP_OUTPUT_TOKENS = 300;

const quoted = (label: string, text: string) => `${label}:\n"""\n${text}\n"""`;

/**
 * One pass over the whole text. For action items the text is the commitment lines (see commitmentLines);
 * `selected`: the text is a long transcript's key sentences (brief-selection.ts), and the model is told so.
 */
export function directRequest(style: SummaryStyle, text: string, selected = false): GenerateRequest {
  if (style === 'action_items') return { system: SYSTEM, prompt: `${TASK.action_items}\n\n${ACTION_EXAMPLE}${quoted('Commitments', text)}\n\nAction items:`, maxTokens: OUTPUT_TOKENS.action_items };
  return { system: SYSTEM, prompt: `${TASK[style]}\n\n${quoted(selected ? 'Transcript (its key sentences, in order)' : 'Transcript', text)}`, maxTokens: OUTPUT_TOKENS[style] };
}

/** Map step: one chunk of a long text. Action items are extracted as such; other styles keep facts for the reduce. */
export function mapRequest(style: SummaryStyle, chunk: string, index: number, total: number): GenerateRequest {
  if (style === 'action_items') return directRequest(style, chunk);
  const task = 'Summarize this part of the transcript in a short paragraph. Keep every name, amount, number, date, place, decision and action item it contains.';
  return { system: SYSTEM, prompt: `This is part ${index + 1} of ${total} of a long transcript. ${task}\n\n${quoted('Transcript part', chunk)}`, maxTokens: MAP_OUTPUT_TOKENS };
}

/** Reduce step: summaries of consecutive parts of one transcript → the summary asked for (or, in a middle round, a shorter combined summary). */
export function reduceRequest(style: Exclude<SummaryStyle, 'action_items'> | 'intermediate', partSummaries: string): GenerateRequest {
  const task =
    style === 'intermediate'
      ? 'Combine these summaries of consecutive parts of one transcript into one shorter summary paragraph. Keep every name, amount, number, date, place, decision and action item.'
      : `These are summaries of consecutive parts of one transcript, in order. ${TASK[style].replace('of the transcript', 'of the whole transcript')}`;
  return { system: SYSTEM, prompt: `${task}\n\n${quoted('Part summaries', partSummaries)}`, maxTokens: style === 'intermediate' ? MAP_OUTPUT_TOKENS : OUTPUT_TOKENS[style] };
}

/** Phrases by which someone takes on or hands out a task. */
const COMMITMENT = /\b(i will|i'll|i am going to|i'm going to|i can take|we will|we'll|can you|could you|will you|would you|please|needs? to|has to|have to|must|let's|action item)\b/i;
/** "Name: words" at the start of a line: a transcript's speaker turn. */
const TURN = /^\s*([\p{L}][\p{L}\p{N} .'-]{0,40}):\s+(.*)$/u;

/**
 * The sentences of a transcript where someone commits to or is asked for a task, each with its
 * speaker ("Tomasz: Yes, I will send the revised budget to finance by Friday."). Selecting them
 * first is what makes a small model's action items reliable: given the whole transcript it tends
 * to copy it line by line; given the commitments it names owner and task. Whatever a rule misses
 * is lost, so the phrase list errs on the side of keeping a sentence.
 */
export function commitmentLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const turn = TURN.exec(line);
    const speaker = turn ? turn[1].trim() : '';
    const said = turn ? turn[2] : line;
    for (const sentence of said.split(/(?<=[.!?])\s+/)) {
      if (COMMITMENT.test(sentence)) out.push(speaker ? `${speaker}: ${sentence.trim()}` : sentence.trim());
    }
  }
  return out;
}

/** Action-item lists (one per chunk, or one) as the summary: one "- …" line per item, duplicates dropped. */
export function mergeActionItems(lists: string[]): string {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const list of lists) {
    for (const line of list.split('\n')) {
      const m = /^\s*(?:[-*•]|\d+[.)])\s+(.+)$/.exec(line);
      if (!m) continue;
      const norm = m[1].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      if (!norm || seen.has(norm)) continue;
      seen.add(norm);
      items.push(`- ${m[1].trim()}`);
    }
  }
  return items.length ? items.join('\n') : 'No action items.';
}
