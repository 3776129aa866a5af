/**
 * The contract's price through the public API: "1 credit = 1 minute of audio, rounded up" for the
 * request, whatever it includes, counted on the decoded audio. A default /v1/transcribe call
 * (diarization on) of 10 s costs 1 credit, and an account holding that 1 credit gets the speakers
 * too; /v1/enhance-audio of a Matroska file that claims 1.5 s but holds 180 s costs 3 credits and
 * says X-Duration: 180. Anonymous callers (not billed) are bounded by decoded length instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ApiKeys } from '../../lib/accounts/keys';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { lyingMkv } from '../helpers/lying-media';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(300_000);

const config = testConfig({ VOXFLOW_SYNC_WAIT_MS: '240000', VOXFLOW_ANON_MAX_AUDIO_S: '60' });
let stack: Stack;
let dir: string;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => stack?.stop());

async function keyWith(credits: number) {
  const account = await stack.ledger.createAccount({ tenant: `price-${Math.random()}`, plan: 'paid', credits });
  const { key } = await new ApiKeys(stack.db).create(account.id, 'test');
  return { account, headers: { Authorization: `Bearer ${key}` } };
}

it('a default /v1/transcribe call (diarization on) of 10 s costs 1 credit, and 1 credit buys the speakers too', async () => {
  const wav = path.join(dir, 'ten.wav');
  execFileSync('espeak-ng', ['-w', wav, 'Credits are counted per request. One minute of audio, rounded up, costs one credit, whatever the request includes.']);
  const { account, headers } = await keyWith(1);
  const res = await fetch(`${stack.baseUrl}/v1/transcribe`, { method: 'POST', headers, body: form(wav) });
  expect(res.status).toBe(200);
  const body = await json(res);
  expect(body.text.length).toBeGreaterThan(20);
  expect(body.speakers).toEqual(['Speaker 1']);
  expect(await stack.ledger.balance(account.id)).toBe(0);
});

it('/v1/enhance-audio bills and reports the decoded length of a file whose container lies', async () => {
  // Claims 1.5 s (1 credit), holds 125 s (3 credits).
  const lying = lyingMkv(dir, 125, 1.5);
  const { account, headers } = await keyWith(10);
  const res = await fetch(`${stack.baseUrl}/v1/enhance-audio`, { method: 'POST', headers, body: form(lying) });
  expect(res.status).toBe(200);
  expect(Number(res.headers.get('x-duration'))).toBeCloseTo(125, 1);
  await res.arrayBuffer();
  expect(await stack.ledger.balance(account.id)).toBe(7);
});

it('anonymous audio longer than VOXFLOW_ANON_MAX_AUDIO_S (decoded, whatever the container claims) is 413 with a clear JSON error', async () => {
  const lying = lyingMkv(dir, 90, 1, 'anon.mkv'); // claims 1 s, holds 90 s; the limit here is 60 s
  const res = await fetch(`${stack.baseUrl}/v1/enhance-audio`, { method: 'POST', body: form(lying) });
  expect(res.status).toBe(413);
  const body = await json(res);
  expect(body).toMatchObject({ type: 'AudioTooLong', code: 'audio_too_long' });
  expect(body.error).toMatch(/Anonymous requests may contain at most 1 minute of audio.*API key/);
});
