/**
 * Typed failures of recipe steps are final: a step that fails with InvalidMedia (the upload is not
 * media), ModelNotInstalled (this server has no such LLM) or InsufficientCredits (the account ran
 * out between steps) runs exactly once, as its workflow history shows and the job view says
 * (`attempts`), and the job view carries the typed error, on the step and on the job. Steps that
 * finished stay charged; the failed one is refunded or never charged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { activityAttempts, until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(180_000);

// No LLM installed under this name: the summarize step cannot run anywhere.
const config = testConfig({ VOXFLOW_LLM_MODEL: 'qwen-not-installed' });
let stack: Stack;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-failures-'));
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

type Step = { name: string; status: string; attempts?: number; error?: { type: string; message: string }; credits?: unknown };
const failed = (headers: Record<string, string>, id: string) =>
  until(async () => {
    const v = await json(await fetch(`${stack.baseUrl}/v1/jobs/${id}`, { headers: { Authorization: headers.Authorization } }));
    return ['succeeded', 'failed', 'cancelled'].includes(v.status) && v;
  }, 120_000, 300);
const steps = (v: { steps: Step[] }) => v.steps.map((s) => [s.name, s.status, s.attempts ?? null, s.error?.type ?? null]);

it('ModelNotInstalled: the summarize step runs once, after the translation was done and charged', async () => {
  const { account, headers } = await paidKeyOn(stack, 'nollm', 10);
  const res = await postJson(stack, '/v1/jobs?async=true', headers, { text: 'Anna will send the budget to Peter on Friday.', steps: [{ step: 'translate', target: 'es' }, 'summarize'] });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await failed(headers, id);
  expect(v.status).toBe('failed');
  expect(v.error).toMatchObject({ type: 'ModelNotInstalled', message: expect.stringMatching(/'qwen-not-installed' is not installed/) });
  expect(steps(v)).toEqual([
    ['translate', 'done', 1, null],
    ['summarize', 'failed', 1, 'ModelNotInstalled'],
  ]);
  expect((await activityAttempts(stack.client, id)).summarize).toEqual([1]);
  expect(v.steps[1].credits).toEqual({ reserved: 1, refunded: 1 });
  expect(await stack.ledger.balance(account.id)).toBe(9);
});

it('InsufficientCredits: the embed step is refused once when the first step used the last credit, and nothing runs after', async () => {
  const { account, headers } = await paidKeyOn(stack, 'broke', 1);
  const res = await postJson(stack, '/v1/jobs?async=true', headers, { text: 'The new office opens in Madrid in March.', steps: [{ step: 'translate', target: 'es' }, 'embed'] });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await failed(headers, id);
  expect(v.status).toBe('failed');
  expect(v.error.type).toBe('InsufficientCredits');
  expect(steps(v)).toEqual([
    ['translate', 'done', 1, null],
    ['embed', 'failed', 1, 'InsufficientCredits'],
  ]);
  const attempts = await activityAttempts(stack.client, id);
  // One reservation per step, each tried once (the embed step's is made with its text units, in one
  // local activity); the embedder was never asked.
  expect(attempts.reserveCredits).toEqual([1]);
  expect(attempts.recipeTextUnitsReserved).toEqual([1]);
  expect(attempts.embed).toBeUndefined();
  expect(await stack.ledger.balance(account.id)).toBe(0);
});

it('InvalidMedia: a file that is not media fails the probe once; transcribe never starts and nothing is charged', async () => {
  const { account, headers } = await paidKeyOn(stack, 'notmedia', 5);
  const f = path.join(dir, 'broken.wav');
  fs.writeFileSync(f, 'RIFF----WAVEfmt garbage '.repeat(100));
  const res = await fetch(`${stack.baseUrl}/v1/jobs?async=true`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(f, { steps: JSON.stringify(['transcribe', 'embed']) }) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await failed(headers, id);
  expect(v.status).toBe('failed');
  expect(v.error).toMatchObject({ type: 'InvalidMedia', code: 'not_media' });
  expect(steps(v)).toEqual([
    ['probe', 'failed', 1, 'InvalidMedia'],
    ['transcribe', 'pending', null, null],
    ['embed', 'pending', null, null],
  ]);
  expect((await activityAttempts(stack.client, id)).probe).toEqual([1]);
  expect(await stack.ledger.balance(account.id)).toBe(5);
});
