/**
 * The LLM runtime on the real 0.5B GGUF (scripts/models/install-llm.sh 0.5b): schema-constrained
 * JSON parses, the output-token ceiling holds, progress arrives every few tokens, generations
 * beyond the configured concurrency wait their turn instead of failing, and an abort stops one.
 */
import path from 'node:path';
import pino from 'pino';
import { generateJson } from '../../lib/llm/json-schema';
import { LlmThreadModel, PROGRESS_EVERY_TOKENS } from '../../lib/llm/model';
import { cacheDir } from '../helpers/models';

jest.setTimeout(300_000);

const MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const CEILING = 96;
let model: LlmThreadModel;

beforeAll(async () => {
  model = await LlmThreadModel.load(
    MODEL,
    path.join(cacheDir(), 'models', 'llm', MODEL, 'model.gguf'),
    { device: 'cpu', contextSize: 1024, threads: 1, concurrency: 1, maxOutputTokens: CEILING },
    pino({ level: 'warn' }),
  );
});
afterAll(() => model?.release());

const SYSTEM = 'You are a helpful assistant.';

it('JSON-schema output parses and has the schema shape', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' }, population_millions: { type: 'number' }, rivers: { type: 'array', items: { type: 'string' }, maxItems: 2 } } };
  const { value, result } = await generateJson<{ city: string; population_millions: number; rivers: string[] }>(
    model,
    { system: SYSTEM, prompt: 'Describe Paris: its name, population in millions and up to two rivers.', maxTokens: CEILING },
    schema,
  );
  expect(result.stopReason).toBe('eos');
  expect(Object.keys(value).sort()).toEqual(['city', 'population_millions', 'rivers']);
  expect(typeof value.city).toBe('string');
  expect(typeof value.population_millions).toBe('number');
  expect(Array.isArray(value.rivers)).toBe(true);
});

it('the output-token ceiling holds whatever the request asks, with progress every few tokens', async () => {
  const progress: number[] = [];
  const r = await model.generate(
    { system: SYSTEM, prompt: 'Count from 1 to 500, separated by commas.', maxTokens: 10_000 },
    { onProgress: (n) => progress.push(n) },
  );
  expect(r.stopReason).toBe('maxTokens');
  expect(r.outputTokens).toBeLessThanOrEqual(CEILING);
  expect(r.outputTokens).toBeGreaterThan(CEILING - 4);
  expect(r.promptTokens).toBeGreaterThan(10);
  expect(progress.length).toBeGreaterThanOrEqual(Math.floor(r.outputTokens / PROGRESS_EVERY_TOKENS) - 1);
  expect(progress.every((n, i) => i === 0 || n > progress[i - 1])).toBe(true);
  expect(await model.countTokens('Hello world')).toBeGreaterThan(0);
});

it('generations beyond the concurrency wait their turn (one context sequence, two requests), and an abort stops one', async () => {
  const ask = (prompt: string) => model.generate({ system: SYSTEM, prompt, maxTokens: 12 });
  const [a, b] = await Promise.all([ask('Say hello.'), ask('Say goodbye.')]);
  expect(a.text.length).toBeGreaterThan(0);
  expect(b.text.length).toBeGreaterThan(0);

  const ac = new AbortController();
  const aborted = model.generate(
    { system: SYSTEM, prompt: 'Count from 1 to 500, separated by commas.', maxTokens: CEILING },
    { signal: ac.signal, onProgress: () => ac.abort(new Error('stop now')) },
  );
  await expect(aborted).rejects.toThrow('stop now');
  // The model is still usable afterwards.
  expect((await ask('Say yes.')).text.length).toBeGreaterThan(0);
});
