/** Accounts, API keys, tiers and limits over HTTP, against the real stack and its SQLite database. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { ApiKeys } from '../../lib/accounts/keys';

const config = testConfig({ VOXFLOW_TRUST_PROXY: 'true', VOXFLOW_ANON_MAX_MB: '1', VOXFLOW_SYNC_WAIT_MS: '30000', VOXFLOW_PAID_CONCURRENT: '2' });
let stack: Stack;
let dir: string;
let clip: string;
let long: string;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  clip = path.join(dir, 'clip.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=2:r=16000', clip]);
  long = path.join(dir, 'long.flac'); // 20 minutes, small as FLAC of a tone
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=1200:r=8000', long]);
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

async function newAccount(plan: 'free' | 'paid', credits: number) {
  const account = await stack.ledger.createAccount({ tenant: `acme-${Math.random()}`, plan, credits });
  const { key } = await new ApiKeys(stack.db).create(account.id, 'test');
  return { account, key };
}

describe('API keys', () => {
  it('creates, lists and revokes keys; the raw key is shown once and stored only as a hash', async () => {
    const { key } = await newAccount('paid', 10);
    const created = await fetch(url('/api/v1/keys/'), { method: 'POST', headers: { ...auth(key), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ci' }) });
    expect(created.status).toBe(201);
    const k = await json(created);
    expect(k.key).toMatch(/^vf_[A-Za-z0-9_-]{43}$/);
    expect(k).toMatchObject({ name: 'ci', prefix: k.key.slice(0, 10) });

    const list = await json(await fetch(url('/api/v1/keys/'), { headers: auth(key) }));
    expect(list.keys.map((x: { name: string }) => x.name)).toEqual(['test', 'ci']);
    expect(JSON.stringify(list)).not.toContain(k.key);
    // At rest: no raw key anywhere in the database file.
    const dbFile = config.databaseUrl.replace(/^sqlite:/, '');
    const bytes = Buffer.concat([fs.readFileSync(dbFile), fs.existsSync(`${dbFile}-wal`) ? fs.readFileSync(`${dbFile}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from(k.key))).toBe(false);
    expect(bytes.includes(Buffer.from(key))).toBe(false);

    expect((await fetch(url('/api/v1/account/'), { headers: auth(k.key) })).status).toBe(200);
    expect((await fetch(url(`/api/v1/keys/${k.id}/`), { method: 'DELETE', headers: auth(key) })).status).toBe(204);
    // Revoked: refused at once.
    const after = await fetch(url('/api/v1/account/'), { headers: auth(k.key) });
    expect(after.status).toBe(401);
    expect((await json(after)).error).toMatch(/Invalid or revoked API key/);
    expect((await fetch(url(`/api/v1/keys/${k.id}/`), { method: 'DELETE', headers: auth(key) })).status).toBe(404);
  });

  it('401 for a bad key anywhere, and for the account API without one', async () => {
    expect((await fetch(url('/v1/jobs/job_00000000000000000000000000000000'), { headers: auth('vf_nope') })).status).toBe(401);
    const res = await fetch(url('/api/v1/account/'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    // Public endpoints need none.
    expect((await fetch(url('/v1/models'))).status).toBe(200);
  });
});

describe('account', () => {
  it('GET and PUT /api/v1/account/ (plan, credits, email preferences)', async () => {
    const { key } = await newAccount('paid', 42);
    const a = await json(await fetch(url('/api/v1/account/'), { headers: auth(key) }));
    expect(a).toMatchObject({ plan: 'paid', credits: 42, email: null, preferences: {} });
    const put = await fetch(url('/api/v1/account/'), {
      method: 'PUT',
      headers: { ...auth(key), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', preferences: { job_emails: false } }),
    });
    expect(await json(put)).toMatchObject({ email: 'ops@example.com', preferences: { job_emails: false } });
    const bad = await fetch(url('/api/v1/account/'), { method: 'PUT', headers: { ...auth(key), 'content-type': 'application/json' }, body: JSON.stringify({ credits: 1e9 }) });
    expect(bad.status).toBe(400);
  });
});

describe('tiers', () => {
  it('paid: charges per step, shows credits in the job, reports usage by day and step', async () => {
    const { account, key } = await newAccount('paid', 5);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: auth(key), body: form(clip) });
    expect(res.status).toBe(200);
    const job = await json(await fetch(url(`/v1/jobs/${res.headers.get('x-job-id')}`), { headers: auth(key) }));
    expect(job.steps.find((s: { name: string }) => s.name === 'enhance').credits).toEqual({ reserved: 1, charged: 1 });
    expect(await stack.ledger.balance(account.id)).toBe(4);
    const usage = await json(await fetch(url('/api/v1/usage/'), { headers: auth(key) }));
    expect(usage.usage).toEqual([{ day: new Date().toISOString().slice(0, 10), step: 'enhance', credits: 1, jobs: 1 }]);
  });

  it('paid with no credits: 402 with the contract message, before anything is uploaded', async () => {
    const { key } = await newAccount('paid', 0);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: auth(key), body: form(clip) });
    expect(res.status).toBe(402);
    expect(await json(res)).toEqual({ error: 'No credits remaining. Upgrade your plan.' });
  });

  it('paid with too few credits for the audio: 402 from the reservation, nothing charged', async () => {
    const { account, key } = await newAccount('paid', 3);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: auth(key), body: form(long) }); // 20 credits
    expect(res.status).toBe(402);
    expect((await json(res)).error).toBe('No credits remaining. Upgrade your plan.');
    expect(await stack.ledger.balance(account.id)).toBe(3);
  });

  it('free: 600 minutes a month', async () => {
    const { account, key } = await newAccount('free', 0);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: auth(key), body: form(clip) });
    expect(res.status).toBe(200);
    expect(await stack.ledger.balance(account.id)).toBe(599);
  });

  it('concurrent jobs over the tier limit get 429 with Retry-After', async () => {
    const { key } = await newAccount('paid', 100);
    const started = [];
    for (let i = 0; i < 2; i++) {
      started.push(await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { ...auth(key), Prefer: 'respond-async' }, body: form(long) }));
    }
    expect(started.map((r) => r.status)).toEqual([202, 202]);
    const third = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { ...auth(key), Prefer: 'respond-async' }, body: form(clip) });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    // When the jobs end, their slots come back.
    for (const r of started) {
      const { id } = await json(r);
      await fetch(url(`/v1/jobs/${id}/cancel`), { method: 'POST', headers: auth(key) });
    }
    await until(async () => (await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { ...auth(key), Prefer: 'respond-async' }, body: form(clip) })).status === 202, 30_000);
  });

  it('anonymous: 3 jobs per day per IP (X-Forwarded-For behind a trusted proxy), then 429 with Retry-After', async () => {
    const ip = { 'X-Forwarded-For': '192.0.2.44' };
    for (let i = 0; i < 3; i++) expect((await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: ip, body: form(clip) })).status).toBe(200);
    const fourth = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: ip, body: form(clip) });
    expect(fourth.status).toBe(429);
    const retry = Number(fourth.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86400);
    // Another client IP has its own allowance.
    expect((await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { 'X-Forwarded-For': '192.0.2.45' }, body: form(clip) })).status).toBe(200);
  });

  it('anonymous uploads over 100 MB (here configured to 1 MB) get 413', async () => {
    const big = path.join(dir, 'big.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=60:r=16000', big]); // ~1.9 MB
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { 'X-Forwarded-For': '192.0.2.99' }, body: form(big) });
    expect(res.status).toBe(413);
  });
});

describe('tenant isolation', () => {
  it("one tenant cannot read, fetch the result of, or cancel another tenant's job (404)", async () => {
    const a = await newAccount('paid', 10);
    const b = await newAccount('paid', 10);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: auth(a.key), body: form(clip) });
    const id = res.headers.get('x-job-id');
    expect((await fetch(url(`/v1/jobs/${id}`), { headers: auth(a.key) })).status).toBe(200);
    for (const [method, p] of [['GET', `/v1/jobs/${id}`], ['GET', `/v1/jobs/${id}/result`], ['POST', `/v1/jobs/${id}/cancel`]]) {
      expect((await fetch(url(p), { method, headers: auth(b.key) })).status).toBe(404);
    }
    expect((await fetch(url(`/v1/jobs/${id}`))).status).toBe(404); // anonymous either
  });
});
