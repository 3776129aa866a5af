/**
 * The official `openai` npm package against a live voxflow (real Temporal, workers, Whisper base):
 * transcriptions in every response format, word timestamps, translation to English, the model
 * list, and OpenAI-shaped errors the SDK raises as its typed errors. Bodies are checked against the
 * same zod schemas the OpenAPI document is generated from.
 */
import fs from 'node:fs';
import OpenAI from 'openai';
import { transcriptionJson, transcriptionVerbose } from '../../api/openai/schemas';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { asteriskPrompt, jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(600_000);

let stack: Stack;
let client: OpenAI;
let accountId: string;

beforeAll(async () => {
  stack = await startStack(testConfig(), { api: true });
  const { account, headers } = await paidKeyOn(stack, 'openai-node', 100);
  accountId = account.id;
  client = new OpenAI({ apiKey: headers.Authorization.slice('Bearer '.length), baseURL: `${stack.baseUrl}/v1`, maxRetries: 0, timeout: 300_000 });
});
afterAll(() => stack?.stop());

const sample = jfk();
// One job rendered in several formats: a repeated Idempotency-Key answers with the first request's job (and charges once).
const once = { headers: { 'Idempotency-Key': `openai-node-${Math.random()}` } };
const withWords = { headers: { 'Idempotency-Key': `openai-node-words-${Math.random()}` } };
const words = (s: string) => s.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean);

it('json: the text, the model that ran (whisper-1 = the best installed, base here), one credit per started minute', async () => {
  const before = await stack.ledger.balance(accountId);
  const { data, response } = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1' }, once).withResponse();
  expect(transcriptionJson.parse(data)).toMatchObject({ model: 'base', usage: { type: 'duration', seconds: 11 } });
  expect(words(data.text).join(' ')).toContain('ask not what your country can do for you');
  expect(response.headers.get('x-model')).toBe('base');
  expect(response.headers.get('x-job-id')).toMatch(/\S/);
  expect(await stack.ledger.balance(accountId)).toBe(before - 1);
});

it('text, srt and vtt come back as strings in their formats (the same job, not charged again)', async () => {
  const before = await stack.ledger.balance(accountId);
  const text = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'base', response_format: 'text' }, once);
  expect(typeof text).toBe('string');
  expect(text.endsWith('\n')).toBe(true);
  expect(words(text).join(' ')).toContain('fellow americans');
  const srt = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1', response_format: 'srt' }, once);
  expect(srt).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n\S/);
  const vtt = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1', response_format: 'vtt', language: 'en' }, once);
  expect(vtt).toMatch(/^WEBVTT\n\n00:00:\d\d\.\d{3} --> 00:00:\d\d\.\d{3}\n\S/);
  expect(await stack.ledger.balance(accountId)).toBe(before);
});

it('verbose_json with word and segment timestamps: OpenAI fields, words in order within the audio', async () => {
  const res = await client.audio.transcriptions.create({
    file: fs.createReadStream(sample.wav),
    model: 'whisper-1',
    response_format: 'verbose_json',
    timestamp_granularities: ['word', 'segment'],
  }, withWords);
  const body = transcriptionVerbose.parse(res);
  expect(body).toMatchObject({ task: 'transcribe', language: 'english', model: 'base' });
  expect(body.duration).toBeCloseTo(11, 0);
  expect(body.segments!.length).toBeGreaterThan(0);
  body.segments!.forEach((s, i) => {
    expect(s.id).toBe(i);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.avg_logprob).toBeLessThanOrEqual(0);
    expect(s.compression_ratio).toBeGreaterThan(0);
  });
  const w = body.words!;
  expect(w.map((x) => x.word.toLowerCase().replace(/[^a-z]/g, '')).join(' ')).toContain('ask not what your country');
  for (let i = 0; i < w.length; i++) {
    expect(w[i].word).toBe(w[i].word.trim());
    expect(w[i].end).toBeGreaterThanOrEqual(w[i].start);
    if (i) expect(w[i].start).toBeGreaterThanOrEqual(w[i - 1].start);
    expect(w[i].end).toBeLessThanOrEqual(body.duration + 0.01);
  }
  // Only word granularity: words, no segments (as OpenAI answers).
  const wordsOnly = transcriptionVerbose.parse(
    await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1', response_format: 'verbose_json', timestamp_granularities: ['word'] }, withWords),
  );
  expect(wordsOnly.segments).toBeUndefined();
  expect(wordsOnly.words!.length).toBe(w.length);
});

it('translations: Spanish speech comes back as English text', async () => {
  const es = asteriskPrompt('es', 'conf-onlyperson'); // "Por el momento, usted es la única persona en la conferencia."
  const res = await client.audio.translations.create({ file: fs.createReadStream(es.wav), model: 'whisper-1', response_format: 'verbose_json' });
  const body = transcriptionVerbose.parse(res);
  console.log(`translation of "${es.text}": ${body.text}`);
  expect(body).toMatchObject({ task: 'translate', language: 'english' });
  const got = words(body.text);
  expect(['only', 'person', 'conference', 'moment'].filter((x) => got.includes(x)).length).toBeGreaterThanOrEqual(2);
  expect(got).not.toContain('persona');
  expect(got).not.toContain('conferencia');
});

it('models.list() and models.retrieve() read GET /v1/models and /v1/models/:id; the contract list is in the same body', async () => {
  const ids: string[] = [];
  for await (const m of client.models.list()) ids.push(m.id);
  expect(ids[0]).toBe('whisper-1');
  expect(ids).toContain('base');
  const base = await client.models.retrieve('base');
  expect(base).toMatchObject({ id: 'base', object: 'model', owned_by: 'voxflow' });
  expect(typeof base.created).toBe('number');
  const raw = await json(await fetch(`${stack.baseUrl}/v1/models`));
  expect(raw.object).toBe('list');
  expect(raw.models.find((m: { id: string }) => m.id === 'base')).toMatchObject({ type: 'asr', installed: true });
  await expect(client.models.retrieve('large-v9')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
});

it('errors are OpenAI-shaped: a bad key raises AuthenticationError, a bad parameter BadRequestError naming it', async () => {
  const bad = new OpenAI({ apiKey: 'vf-not-a-key', baseURL: `${stack.baseUrl}/v1`, maxRetries: 0 });
  const err = await bad.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1' }).catch((e) => e);
  expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  expect(err.status).toBe(401);
  expect(err.message).toMatch(/Invalid or revoked API key/);
  expect(err.error).toMatchObject({ type: 'authentication_error', message: expect.any(String) });

  const before = await stack.ledger.balance(accountId);
  const fmt = await client.audio.transcriptions
    .create({ file: fs.createReadStream(sample.wav), model: 'whisper-1', response_format: 'xml' as 'json' })
    .catch((e) => e);
  expect(fmt).toBeInstanceOf(OpenAI.BadRequestError);
  expect(fmt.param).toBe('response_format');
  expect(fmt.code).toBe('invalid_parameter');
  const model = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'large-v9' }).catch((e) => e);
  expect(model).toBeInstanceOf(OpenAI.BadRequestError);
  expect(model.param).toBe('model');
  expect(model.message).toMatch(/not installed/);
  const gran = await client.audio.transcriptions.create({ file: fs.createReadStream(sample.wav), model: 'whisper-1', timestamp_granularities: ['word'] }).catch((e) => e);
  expect(gran).toBeInstanceOf(OpenAI.BadRequestError);
  expect(gran.param).toBe('timestamp_granularities[]');
  expect(await stack.ledger.balance(accountId)).toBe(before);
});
