/**
 * The DEFAULT LLM end to end: what `npm start` runs when VOXFLOW_LLM_MODEL is unset (the best
 * installed model, Qwen2.5-Coder 1.5B Instruct Q4_K_M; scripts/models/install-llm.sh 1.5b), through
 * the API, one short request per text endpoint. The other LLM test files run the fast 0.5B; this one
 * shows the model users get also produces the planted facts and schema-valid structures, and that
 * every body names it. Short inputs and small outputs: the 1.5B is ~2.5x slower than the 0.5B.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiKeys } from '../../lib/accounts/keys';
import { RESULT_SCHEMAS, schemaErrors } from '../../lib/llm/analysis-schemas';
import { CONTENT_SCHEMAS } from '../../lib/llm/generation-schemas';
import { corpusChrf } from '../../lib/translate/chrf';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { SECTIONS } from '../helpers/planted-transcript';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(600_000);

const DEFAULT_MODEL = 'qwen2.5-coder-1.5b-instruct-q4_k_m';
const config = testConfig({
  // VOXFLOW_LLM_MODEL deliberately unset: the default resolution is part of what is tested.
  // One thread: jest runs two test files at once on two cores (llama.cpp's threads spin).
  VOXFLOW_LLM_THREADS: '1',
  // Context and chunk budget are the production defaults too (4096, 2560).
  VOXFLOW_SYNC_WAIT_MS: '500000',
});
let stack: Stack;
let headers: Record<string, string>;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  const account = await stack.ledger.createAccount({ tenant: `default-llm-${Math.random()}`, plan: 'paid', credits: 20 });
  const { key } = await new ApiKeys(stack.db).create(account.id, 'test');
  headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
});
afterAll(() => stack?.stop());

const post = async (route: string, body: unknown) => {
  const started = Date.now();
  const res = await fetch(`${stack.baseUrl}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const got = await json(res);
  console.log(`${route} ${JSON.stringify(body).slice(0, 60)}… → ${res.status} in ${Date.now() - started} ms: ${JSON.stringify(got).slice(0, 600)}`);
  return { status: res.status, body: got };
};
const mentions = (text: string, words: string[]) => words.filter((w) => text.toLowerCase().includes(w.toLowerCase()));

it('POST /v1/summarize (brief) on the default model names the planted facts and the 1.5B model', async () => {
  const section = SECTIONS[3]; // Bluewater Hotels: ~150 words
  const { status, body } = await post('/v1/summarize', { text: section.text });
  expect(status).toBe(200);
  expect(body).toMatchObject({ style: 'brief', model: DEFAULT_MODEL });
  expect(mentions(body.summary, section.facts)).toEqual(section.facts);
});

it('POST /v1/generate (flashcards) on the default model: schema-valid cards about the planted facts, the 1.5B named', async () => {
  const section = SECTIONS[1]; // the Falcon release: ~150 words
  const { status, body } = await post('/v1/generate', { text: section.text, type: 'flashcards' });
  expect(status).toBe(200);
  expect(body).toMatchObject({ type: 'flashcards', model: DEFAULT_MODEL });
  const parsed = CONTENT_SCHEMAS.flashcards.safeParse(body.content);
  expect(parsed.error?.issues ?? []).toEqual([]);
  // The cards test this meeting's facts, not generic ones.
  expect(mentions(JSON.stringify(body.content), section.facts).length).toBeGreaterThanOrEqual(2);
});

it('POST /v1/analyze (entities) on the default model: the planted people and places, schema-valid, the 1.5B named', async () => {
  const text = [
    'Marcus: I flew to Warsaw on Monday to meet Helena Okafor about the Bluewater Hotels contract.',
    'Ingrid: Did she come over from Lisbon for it?',
    'Marcus: Yes, Helena Okafor lives in Lisbon now, and she goes back on Friday.',
  ].join('\n');
  const { status, body } = await post('/v1/analyze', { text, type: 'entities' });
  expect(status).toBe(200);
  expect(body).toMatchObject({ type: 'entities', model: DEFAULT_MODEL });
  expect(schemaErrors(body.result, RESULT_SCHEMAS.entities)).toEqual([]);
  const typeOf = (name: string) => (body.result as Array<{ text: string; type: string }>).find((e) => e.text === name)?.type;
  expect({ 'Helena Okafor': typeOf('Helena Okafor'), Warsaw: typeOf('Warsaw'), Lisbon: typeOf('Lisbon') }).toEqual({ 'Helena Okafor': 'person', Warsaw: 'place', Lisbon: 'place' });
});

it('POST /v1/translate on the default model: en→es moves to the 1.5B (it out-scores Apertium there), chrF above the bar, the 1.5B named', async () => {
  // Test sentences kept apart from the tuning and held-out splits; the untranslated English scores ~12 against them.
  const file = path.join(__dirname, '..', 'fixtures', 'translation', 'known.json');
  const known = (JSON.parse(fs.readFileSync(file, 'utf8')).sentences as Array<Record<string, string>>).slice(0, 2);
  const view = await json(await fetch(`${stack.baseUrl}/v1/languages?task=translate`));
  expect(view.pairs).toContainEqual(expect.objectContaining({ source: 'en', target: 'es', engine: 'llm', model: DEFAULT_MODEL }));
  const { status, body } = await post('/v1/translate', { texts: known.map((s) => s.en), target: 'es' });
  expect(status).toBe(200);
  expect(body.model).toBe(DEFAULT_MODEL);
  const hyps = body.translations.map((t: { translated_text: string }) => t.translated_text);
  expect(corpusChrf(hyps, known.map((s) => s.es))).toBeGreaterThanOrEqual(45);
});
