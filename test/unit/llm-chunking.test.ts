/** Chunking for map-reduce, commitment selection and action-item merging (pure functions). */
import { chunkByTokens, pack, splitUnits } from '../../lib/llm/chunking';
import { commitmentLines, mergeActionItems } from '../../lib/llm/summary-prompts';
import { Semaphore } from '../../lib/llm/semaphore';
import { loadConfig, ConfigError } from '../../lib/config';
import { SECTIONS, longMeeting } from '../helpers/planted-transcript';

/** A stand-in tokenizer with a known density: one token per 4 characters, rounded up. */
const count = async (s: string) => Math.ceil(s.length / 4);

describe('chunkByTokens', () => {
  it('splits a long transcript into pieces within the budget, at speaker turns, losing and reordering nothing', async () => {
    const { text } = longMeeting();
    const total = await count(text);
    const chunks = await chunkByTokens(text, 300, total, count);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / 300));
    for (const c of chunks) expect(await count(c)).toBeLessThanOrEqual(300);
    // Speaker turns are whole (every chunk starts with "Name:"), and joining the chunks gives back every line in order.
    for (const c of chunks) expect(c).toMatch(/^[A-Z][a-z]+: /);
    expect(chunks.join('\n')).toBe(text.split('\n').map((l) => l.trim()).filter(Boolean).join('\n'));
  });

  it('cuts a text without line breaks at sentences, and a denser-than-planned piece again', async () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const text = sentence.repeat(200);
    // A tokenizer whose density doubles in the second half: the planned pieces overflow and are split again.
    const uneven = async (s: string) => Math.ceil(s.length / 4) + (s.includes('LAZY') ? Math.ceil(s.length / 4) : 0);
    const mixed = text.slice(0, text.length / 2) + text.slice(text.length / 2).replace(/lazy/g, 'LAZY');
    const chunks = await chunkByTokens(mixed, 200, await uneven(mixed), uneven);
    for (const c of chunks) expect(await uneven(c)).toBeLessThanOrEqual(200);
    expect(chunks.join(' ').replace(/\s+/g, ' ').trim()).toBe(mixed.replace(/\s+/g, ' ').trim());
  });

  it('cuts a "word" longer than the budget by characters', () => {
    const units = splitUnits('x'.repeat(1000), 100);
    expect(units.every((u) => u.length <= 100)).toBe(true);
    expect(units.join('')).toBe('x'.repeat(1000));
    expect(pack(['a', 'b', 'c'], 3)).toEqual(['a\nb', 'c']);
  });
});

describe('action items', () => {
  it('commitmentLines keeps every planted commitment with its speaker, and drops small talk', () => {
    const lines = commitmentLines(SECTIONS[3].text);
    expect(lines).toContain('Marcus: I will issue the refund today and call Helena Okafor to apologize.');
    expect(lines).toContain("Tomasz: I'll add an idempotency check to the billing job so this cannot happen again.");
    expect(lines.some((l) => l.includes('How much are we talking about'))).toBe(false);
    expect(commitmentLines('We looked at the numbers. Nothing else happened.')).toEqual([]);
  });

  it('mergeActionItems keeps list lines only, once each', () => {
    expect(mergeActionItems(['- Ben: fix the bug\nsome chatter', '1. Anna: write docs\n- ben: Fix the bug!'])).toBe('- Ben: fix the bug\n- Anna: write docs');
    expect(mergeActionItems(['No action items.'])).toBe('No action items.');
  });
});

it('Semaphore admits at most its size at once, in arrival order', async () => {
  const gate = new Semaphore(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      gate.run(async () => {
        order.push(i);
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
      }),
    ),
  );
  expect(peak).toBe(2);
  expect(order).toEqual([0, 1, 2, 3, 4]);
  expect(gate.inUse).toBe(0);
});

it('LLM settings are validated: a chunk budget that cannot fit the context stops the start', () => {
  expect(() => loadConfig({ VOXFLOW_LLM_CONTEXT: '2048', VOXFLOW_LLM_CHUNK_TOKENS: '1500' })).toThrow(ConfigError);
  expect(() => loadConfig({ VOXFLOW_LLM_THREADS: '-1' })).toThrow(/VOXFLOW_LLM_THREADS/);
  expect(() => loadConfig({ VOXFLOW_LLM_MODEL: '../etc' })).toThrow(/VOXFLOW_LLM_MODEL/);
  const llm = loadConfig({}).llm;
  expect(llm.threads).toBeGreaterThanOrEqual(1);
  expect(llm.concurrency).toBe(1);
  expect(llm.chunkTokens + 768).toBeLessThanOrEqual(llm.contextSize);
});
