/**
 * Job webhooks end to end: a real recipe job (Apertium translation, no LLM) notifies a local
 * receiver that fails its first two tries; the delivery workflow retries with backoff (short
 * intervals in this config), the receiver verifies the HMAC signature, and the job view records the
 * attempts and the last status code. A failed job notifies too (unsigned without a secret), and an
 * address outside the allowance is refused at delivery, once, without being called.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../lib/webhooks/signature';
import { SA } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

jest.setTimeout(240_000);

const config = testConfig({
  VOXFLOW_LLM_MODEL: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
  VOXFLOW_LLM_CONTEXT: '2048',
  VOXFLOW_LLM_CHUNK_TOKENS: '1024',
  VOXFLOW_LLM_THREADS: '1',
  // Seconds, not the production 30 s → 1 h: the backoff is the same policy, compressed.
  VOXFLOW_WEBHOOK_RETRY_INITIAL_MS: '1500',
  VOXFLOW_WEBHOOK_RETRY_MAX_MS: '3000',
  VOXFLOW_WEBHOOK_MAX_ATTEMPTS: '5',
  VOXFLOW_WEBHOOK_TIMEOUT_MS: '2000',
  // The receiver is on loopback; only 127.0.0.1 is allowed (127.0.0.2 is not).
  VOXFLOW_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1',
});
const SECRET = 'whsec_test_0123456789abcdef';

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  at: number;
  answered: number;
}

let stack: Stack;
let receiver: http.Server;
let hookUrl: string;
const received = new Map<string, Received[]>();
/** How many requests each path fails (HTTP 500) before answering 204. */
const failFirst = new Map<string, number>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const list = received.get(req.url!) ?? [];
      const status = list.length < (failFirst.get(req.url!) ?? 0) ? 500 : 204;
      list.push({ body, headers: req.headers, at: Date.now(), answered: status });
      received.set(req.url!, list);
      res.statusCode = status;
      res.end(status === 500 ? 'try again later' : undefined);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startStack(config, { api: true });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => receiver?.close(r));
});

const view = async (headers: Record<string, string>, id: string) => json(await fetch(`${stack.baseUrl}/v1/jobs/${id}`, { headers }));

it('signs and retries a delivery until the receiver takes it, and records the attempts on the job', async () => {
  const { headers } = await paidKeyOn(stack, 'hook', 100);
  failFirst.set('/ok', 2);
  const res = await postJson(stack, '/v1/jobs?async=true', headers, {
    text: 'The meeting is on Monday.',
    steps: [{ step: 'translate', target: 'es' }],
    webhook_url: `${hookUrl}/ok`,
    webhook_secret: SECRET,
  });
  expect(res.status).toBe(202);
  const { id } = await json(res);

  // While it retries, the job view shows the failed attempts and the receiver's answer.
  const retrying = await until(async () => {
    const v = await view(headers, id);
    return v.webhook?.status === 'delivering' && v.webhook.attempts >= 1 && v.webhook;
  }, 60_000, 100);
  expect(retrying.last_status_code).toBe(500);
  expect(retrying.last_error).toMatch(/HTTP 500/);

  const done = await until(async () => {
    const v = await view(headers, id);
    return v.webhook?.status === 'delivered' && v;
  }, 60_000);
  expect(done.status).toBe('succeeded');
  expect(done.webhook).toMatchObject({ url: `${hookUrl}/ok`, status: 'delivered', attempts: 3, last_status_code: 204 });

  // Operators find it in the Web UI by its last step, and its memo names the recipe and its steps.
  const desc = await stack.client.workflow.getHandle(id).describe();
  expect(desc.typedSearchAttributes.get(SA.currentStep)).toBe('translate');
  expect(desc.memo).toMatchObject({ recipe: 'custom', steps_requested: 'translate', webhook: `${hookUrl}/ok` });

  const calls = received.get('/ok')!;
  expect(calls.map((c) => c.answered)).toEqual([500, 500, 204]);
  // Exponential: the second wait is about twice the first (1.5 s, then 3 s).
  const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at];
  expect(gaps[0]).toBeGreaterThanOrEqual(1400);
  expect(gaps[1]).toBeGreaterThanOrEqual(2800);
  for (const c of calls) {
    expect(verifySignature(c.headers['x-voxflow-signature'] as string, SECRET, c.body)).toBe(true);
    expect(verifySignature(c.headers['x-voxflow-signature'] as string, 'not-the-secret-at-all', c.body)).toBe(false);
  }
  expect(calls.map((c) => c.headers['x-voxflow-delivery-attempt'])).toEqual(['1', '2', '3']);
  const payload = JSON.parse(calls[2].body);
  expect(payload).toEqual({ id, status: 'succeeded', recipe: 'custom', result_url: `${stack.baseUrl}/v1/jobs/${id}/result` });
  // The secret never enters a workflow history, and is deleted from storage once deliveries are over.
  for (const wf of [id, `${id}-webhook`]) expect(JSON.stringify(await stack.client.workflow.getHandle(wf).fetchHistory())).not.toContain(SECRET);
  await until(async () => {
    const left: string[] = [];
    for await (const o of stack.store.list('webhooks/')) left.push(o.key);
    return left.length === 0;
  }, 15_000);
});

it('notifies a failed job with its error (unsigned without a secret)', async () => {
  const { headers } = await paidKeyOn(stack, 'hook', 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hook-'));
  const notMedia = path.join(dir, 'notes.mp3');
  fs.writeFileSync(notMedia, 'this is not audio at all '.repeat(100));
  const res = await fetch(`${stack.baseUrl}/v1/jobs?async=true`, { method: 'POST', headers: { Authorization: headers.Authorization }, body: form(notMedia, { preset: 'meeting', webhook_url: `${hookUrl}/failed` }) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const call = await until(async () => received.get('/failed')?.[0], 60_000);
  const payload = JSON.parse(call.body);
  expect(payload).toMatchObject({ id, status: 'failed', recipe: 'meeting', error: { type: 'InvalidMedia' } });
  expect(payload.result_url).toBeUndefined();
  expect(call.headers['x-voxflow-signature']).toBeUndefined();
  const v = await until(async () => {
    const x = await view(headers, id);
    return x.webhook?.status === 'delivered' && x;
  });
  expect(v.webhook).toMatchObject({ attempts: 1, last_status_code: 204 });
});

it('notifies from any job endpoint: POST /v1/translate with webhook_url', async () => {
  const { headers } = await paidKeyOn(stack, 'hook', 100);
  const res = await postJson(stack, '/v1/translate?async=true', headers, { text: 'Good morning.', target: 'es', webhook_url: `${hookUrl}/translate`, webhook_secret: SECRET });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const call = await until(async () => received.get('/translate')?.[0], 60_000);
  expect(JSON.parse(call.body)).toEqual({ id, status: 'succeeded', recipe: 'translate', result_url: `${stack.baseUrl}/v1/jobs/${id}/result` });
  expect(verifySignature(call.headers['x-voxflow-signature'] as string, SECRET, call.body)).toBe(true);
});

it('refuses at delivery an address the policy does not allow, once, without calling it', async () => {
  const { headers } = await paidKeyOn(stack, 'hook', 100);
  const port = (receiver.address() as AddressInfo).port;
  const res = await postJson(stack, '/v1/jobs?async=true', headers, {
    text: 'Hello there.',
    steps: [{ step: 'translate', target: 'es' }],
    webhook_url: `http://127.0.0.2:${port}/internal`,
  });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const v = await until(async () => {
    const x = await view(headers, id);
    return x.webhook?.status === 'failed' && x;
  }, 60_000);
  expect(v.webhook).toMatchObject({ status: 'failed', attempts: 1, last_status_code: null });
  expect(v.webhook.last_error).toMatch(/127\.0\.0\.2 is a private, loopback, link-local or reserved address/);
  expect(received.get('/internal')).toBeUndefined();
});

it('answers 400 for webhook fields it cannot use', async () => {
  const { headers } = await paidKeyOn(stack, 'hook', 100);
  const post = (extra: Record<string, unknown>) => postJson(stack, '/v1/jobs', headers, { text: 'Hi.', steps: ['summarize'], ...extra });
  for (const [extra, pattern] of [
    [{ webhook_url: 'ftp://example.com/x' }, /`webhook_url` must be an http or https URL/],
    [{ webhook_url: 'https://u:p@example.com/x' }, /must not carry credentials/],
    [{ webhook_url: 'https://example.com/x', webhook_secret: 'short' }, /16 to 256 characters/],
    [{ webhook_secret: 'a-secret-of-enough-length' }, /`webhook_secret` needs a `webhook_url`/],
  ] as const) {
    const r = await post(extra);
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(pattern);
  }
  // The same check on the other endpoints (the shared submit paths read the fields).
  const r = await postJson(stack, '/v1/summarize', headers, { text: 'Hi.', webhook_url: 'gopher://example.com/' });
  expect(r.status).toBe(400);
  expect((await json(r)).error).toMatch(/`webhook_url` must be an http or https URL/);
});
