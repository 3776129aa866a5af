/**
 * The long-text path of generateContent (chunking, per-chunk results kept and reused, exact merge,
 * the cut-off retry with fewer entries) with a stand-in model that answers from its prompt by rule:
 * this checks the orchestration, never the model's quality (the API test runs the real one).
 */
import { generateContent, GenerationError, type GenerationParts } from '../../lib/llm/generate';
import { CONTENT_SCHEMAS } from '../../lib/llm/generation-schemas';
import { promptLines, transcriptPromptText } from '../../lib/transcript/prompt-text';
import type { GenerateRequest, GenerateResult, LlmModel } from '../../lib/llm/types';
import { SECTIONS } from '../helpers/planted-transcript';

/** One token per 4 characters; answers chapters with the quoted transcript's first and middle lines, quotes with a line's words. */
class RuleModel implements LlmModel {
  readonly id = 'rule-model';
  readonly contextSize = 4096;
  calls: GenerateRequest[] = [];
  /** Structured answers cut off (stopReason maxTokens) while the schema allows more than this many entries. */
  constructor(private cutOffAbove = Infinity) {}
  async countTokens(text: string) {
    return Math.ceil(text.length / 4);
  }
  async release() {}
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    this.calls.push(req);
    const quoted = /"""\n([\s\S]*)\n"""/.exec(req.prompt)![1];
    const schema = JSON.stringify(req.jsonSchema ?? {});
    const maxItems = Number(/"maxItems":(\d+)/.exec(schema)?.[1] ?? 0);
    let text: string;
    if (schema.includes('"chapters"')) {
      const lines = promptLines(quoted);
      const picks = [lines[0], lines[Math.floor(lines.length / 2)]];
      text = JSON.stringify({ chapters: picks.map((l, i) => ({ title: `Topic ${l.text.split(' ').slice(0, 3).join(' ')} ${i}`, time: `[${Math.floor(l.start / 60)}:${String(Math.floor(l.start % 60)).padStart(2, '0')}]` })) });
    } else if (schema.includes('"quotes"')) {
      const line = quoted.split('\n')[1];
      text = JSON.stringify({ quotes: [{ quote: line }, { quote: 'An invented sentence that nobody in this meeting ever said.' }] });
    } else text = `Notes: ${quoted.slice(0, 200)}`;
    const cut = !!req.jsonSchema && maxItems > this.cutOffAbove;
    return { text, promptTokens: Math.ceil(req.prompt.length / 4), outputTokens: 10, stopReason: cut ? 'maxTokens' : 'eos', ms: 1, firstTokenMs: 1 };
  }
}

function memoryParts(): GenerationParts & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, get: async (r, i) => map.get(`${r}/${i}`), put: async (r, i, v) => void map.set(`${r}/${i}`, v) };
}

/** All five sections as a stored transcript renders them: one `[mm:ss] Name: text` line per turn, 12 s apart. */
const transcript = transcriptPromptText({
  segments: SECTIONS.flatMap((s) => s.text.split('\n')).map((line, i) => {
    const [, speaker, said] = /^(\w+): (.*)$/.exec(line)!;
    return { start: 0.4 + i * 12, end: 11 + i * 12, text: said, speaker, confidence: 1, words: [] };
  }),
});
const starts = new Set(promptLines(transcript).map((l) => l.start));

it('chapter_markers over a long transcript: one generation per chunk, parts stored, merged on real starts, a retry resumes without the model', async () => {
  const model = new RuleModel();
  const parts = memoryParts();
  const out = await generateContent(model, transcript, 'chapter_markers', { chunkTokens: 400, parts });
  expect(out.chunks).toBeGreaterThanOrEqual(3);
  expect(model.calls).toHaveLength(out.chunks);
  expect(parts.map.size).toBe(out.chunks);
  const chapters = CONTENT_SCHEMAS.chapter_markers.parse(out.content);
  expect(chapters[0].start).toBe(0);
  for (const c of chapters) expect(starts.has(c.start)).toBe(true);
  // Two chapters per chunk, none lost in the merge (each chunk's starts are its own).
  expect(chapters.length).toBe(2 * out.chunks);

  const again = new RuleModel();
  const resumed = await generateContent(again, transcript, 'chapter_markers', { chunkTokens: 400, parts });
  expect(again.calls).toHaveLength(0);
  expect(resumed.content).toEqual(out.content);
});

it('a cut-off structured answer is asked again for half as many entries; cut off at one entry it fails as such', async () => {
  const model = new RuleModel(2);
  const out = await generateContent(model, SECTIONS[0].text, 'key_quotes', { chunkTokens: 4000, parts: memoryParts() });
  expect(model.calls.map((c) => Number(/"maxItems":(\d+)/.exec(JSON.stringify(c.jsonSchema))![1]))).toEqual([5, 2]);
  // The invented quote is dropped; the real one is the text's own words.
  expect(out.content).toEqual([{ quote: 'Right. I checked the numbers last night. The total budget for the offsite is 48,000 euros, which covers travel, the venue and two dinners.', speaker: 'Tomasz' }]);
  await expect(generateContent(new RuleModel(0), SECTIONS[0].text, 'key_quotes', { chunkTokens: 4000, parts: memoryParts() })).rejects.toThrow(/cut off/);
});

it('a prose type over a long text writes notes per chunk, condenses them in rounds while they do not fit, then one final pass', async () => {
  const model = new RuleModel();
  const parts = memoryParts();
  const text = SECTIONS.map((s) => s.text).join('\n').repeat(3);
  const out = await generateContent(model, text, 'blog_post', { chunkTokens: 256, parts });
  expect(out.chunks).toBeGreaterThanOrEqual(10);
  const rounds = new Set([...parts.map.keys()].map((k) => k.split('/')[0]));
  expect(rounds.size).toBeGreaterThanOrEqual(2); // chunk notes, and at least one condensing round
  const last = model.calls[model.calls.length - 1];
  expect(last.prompt).toMatch(/^These are notes on consecutive parts of one long text/);
  expect(last.prompt).toContain('blog post');
  expect(out.content).toMatch(/^Notes: /);
});

it('chapter_markers on a text without timestamps has nothing to place chapters on', async () => {
  await expect(generateContent(new RuleModel(), SECTIONS[0].text, 'chapter_markers', { chunkTokens: 4000, parts: memoryParts() })).rejects.toThrow(GenerationError);
});
