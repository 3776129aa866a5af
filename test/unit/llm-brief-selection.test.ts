/**
 * The brief's extractive pre-selection (lib/llm/brief-selection.ts): on the tests' planted long
 * meeting every planted fact survives in well under half of the text, in the original order with
 * speakers; short texts are summarized whole; and summarizeText hands the model the selection when
 * VOXFLOW_LLM_BRIEF_SELECT asks for it (off by default).
 */
import { BRIEF_SELECT_ABOVE_TOKENS, briefBudget, selectForBrief, sentenceFacts } from '../../lib/llm/brief-selection';
import { loadConfig } from '../../lib/config';
import { summarizeText } from '../../lib/llm/summarize';
import type { GenerateRequest, LlmModel } from '../../lib/llm/types';
import { longMeeting, shortMeeting } from '../helpers/planted-transcript';

/** A stand-in tokenizer with a known density: one token per 4 characters, rounded up. */
const tokens = (s: string) => Math.ceil(s.length / 4);

it('keeps every planted fact of the long meeting in under half of its text, in order, each line with its speaker', () => {
  const { text, sections } = longMeeting();
  const total = tokens(text);
  const selected = selectForBrief(text, total, 800);
  expect(tokens(selected)).toBeLessThan(total / 2);
  for (const fact of sections.flatMap((s) => s.facts)) expect({ fact, kept: selected.toLowerCase().includes(fact.toLowerCase()) }).toEqual({ fact, kept: true });
  const lines = selected.split('\n');
  for (const l of lines) expect(l).toMatch(/^[A-Z][a-z]+: \S/);
  // Original order: each selected sentence appears in the text after the previous one.
  let at = 0;
  for (const l of lines) {
    const i = text.indexOf(l.replace(/^[A-Z][a-z]+: /, ''), at);
    expect(i).toBeGreaterThanOrEqual(at);
    at = i;
  }
  // A tight budget is honoured.
  expect(tokens(selectForBrief(text, total, 200))).toBeLessThanOrEqual(200);
});

it('facts are numbers (separators dropped), number words, units and names inside a sentence', () => {
  expect([...sentenceFacts('The total budget for the offsite is 48,000 euros, covering Lisbon.')].sort()).toEqual(['#48000', 'euros', 'lisbon']);
  expect([...sentenceFacts('Great, sixty-five it is.')]).toEqual(['#sixty-five']);
  expect([...sentenceFacts('We require two-factor logins.')]).toEqual(['#two']);
  expect(sentenceFacts('Right, I agree.').size).toBe(0);
});

it('summarizes short texts whole; a brief of a long text reads the selection', async () => {
  expect(briefBudget(BRIEF_SELECT_ABOVE_TOKENS)).toBeUndefined();
  expect(briefBudget(2200)).toBe(800);
  expect(briefBudget(10_000)).toBe(3500);
  const seen: GenerateRequest[] = [];
  const model: LlmModel = {
    id: 'stand-in',
    contextSize: 4096,
    countTokens: async (s) => tokens(s),
    generate: async (req) => {
      seen.push(req);
      return { text: 'A summary.', promptTokens: tokens(req.prompt), outputTokens: 3, stopReason: 'eos', ms: 1, firstTokenMs: 1 };
    },
    release: async () => undefined,
  };
  const parts = { get: async () => undefined, put: async () => undefined };
  const long = `${longMeeting().text}\n${longMeeting().text}`;
  await summarizeText(model, long, 'brief', { chunkTokens: 2560, briefSelect: true, parts });
  expect(seen).toHaveLength(1);
  expect(seen[0].prompt).toContain('key sentences');
  expect(tokens(seen[0].prompt)).toBeLessThan(tokens(long) / 2);
  // Other styles, a short brief, and a brief without the option (the default) read the whole text.
  await summarizeText(model, shortMeeting().text, 'brief', { chunkTokens: 2560, briefSelect: true, parts });
  expect(seen[1].prompt).toContain(shortMeeting().text);
  await summarizeText(model, longMeeting().text, 'detailed', { chunkTokens: 2560, briefSelect: true, parts });
  expect(seen[2].prompt).toContain(longMeeting().text);
  await summarizeText(model, longMeeting().text, 'brief', { chunkTokens: 2560, parts });
  expect(seen[3].prompt).toContain(longMeeting().text);
  expect(loadConfig({}).llm.briefSelect).toBe(false);
  expect(loadConfig({ VOXFLOW_LLM_BRIEF_SELECT: 'true' }).llm.briefSelect).toBe(true);
});
