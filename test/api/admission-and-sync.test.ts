/**
 * Admission and waiting, with jobs held in place by the absence of a GPU worker (the enhance step
 * waits on its queue until one starts):
 * - a request only ever releases what it took (issue #9 finding 7): a bad request or an idempotent
 *   retry carrying a running job's Idempotency-Key leaves that job's slot held;
 * - synchronous means synchronous (issue #10 item 6): the default ceiling is an hour, a call waits
 *   past the old 60 s for its result; a 202 past the ceiling says what the job is doing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../lib/config';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';

const CONCURRENT = 2;
const config = testConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: String(CONCURRENT), VOXFLOW_SYNC_WAIT_MS: '3000' });
/** A second API on the same queues and database with the default (contract) ceiling. */
const defaultWait = loadConfig({}).http.syncWaitMs;
let stack: Stack;
let patient: Stack;
let clip: string;
const extra: Stack[] = [];

beforeAll(async () => {
  stack = await startStack(config, { api: true, roles: ['control'] });
  patient = await startStack({ ...config, http: { ...config.http, syncWaitMs: defaultWait } }, { api: true, roles: [] });
  const dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  clip = path.join(dir, 'clip.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=330:d=2:r=16000', clip]);
});
afterAll(async () => {
  for (const s of extra) await s.stop();
  await patient?.stop();
  await stack?.stop();
});

const url = (p: string, s = stack) => `${s.baseUrl}${p}`;
const slots = async () => Number((await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_slots'))?.n ?? 0);
const submit = (headers: Record<string, string> = {}, body: FormData = form(clip)) =>
  fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { Prefer: 'respond-async', ...headers }, body });

async function cancelAll(ids: string[]) {
  for (const id of ids) await stack.client.workflow.getHandle(id).cancel().catch(() => undefined);
  await until(async () => (await slots()) === 0, 30_000);
}

describe('a request releases only what it took', () => {
  it("a bad request (and a retry) with a running job's Idempotency-Key leave that job's slot held", async () => {
    const key = `running-${Date.now()}`;
    const a = await submit({ 'Idempotency-Key': key });
    expect(a.status).toBe(202);
    const { id } = await json(a);
    expect(await slots()).toBe(1);

    // The same key with a bad body: 400, and the running job keeps its slot.
    const bad = await submit({ 'Idempotency-Key': key }, form(null, { language: 'en' }));
    expect(bad.status).toBe(400);
    expect((await json(bad)).code).toBe('missing_file');
    expect(await slots()).toBe(1);

    // A well-formed retry returns the same job and still takes nothing away from it.
    const retry = await submit({ 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect((await json(retry)).id).toBe(id);
    expect(await slots()).toBe(1);

    // So the tier's limit holds: N jobs run, the N+1-th is refused.
    const others: string[] = [];
    for (let i = 1; i < CONCURRENT; i++) {
      const r = await submit();
      expect(r.status).toBe(202);
      others.push((await json(r)).id);
    }
    const over = await submit();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('5');
    await cancelAll([id, ...others]);
  });

  it('two requests racing with one Idempotency-Key: one job, and its slot stays held whichever of them started it', async () => {
    for (let i = 0; i < 5; i++) {
      const key = `race-${Date.now()}-${i}`;
      const [a, b] = await Promise.all([submit({ 'Idempotency-Key': key }), submit({ 'Idempotency-Key': key })]);
      expect([a.status, b.status]).toEqual([202, 202]);
      const [ja, jb] = [await json(a), await json(b)];
      expect(ja.id).toBe(jb.id);
      expect(await slots()).toBe(1);
      await cancelAll([ja.id]);
    }
  });
});

describe('synchronous means synchronous', () => {
  it('the default ceiling is at least an hour', () => {
    expect(defaultWait).toBeGreaterThanOrEqual(3_600_000);
  });

  it('past the ceiling, the 202 says what the job is doing (not a fixed "queued")', async () => {
    const started = Date.now();
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: form(clip) });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const body = await json(res);
    // The probe ran; the enhance step waits for a GPU worker: the job is running.
    expect(body).toMatchObject({ object: 'job', recipe: 'enhance-audio', status: 'running', status_url: `/v1/jobs/${body.id}` });
    const view = await json(await fetch(url(body.status_url)));
    expect(view.status).toBe(body.status);
    await cancelAll([body.id]);
  });

  it('a synchronous call waits past 60 s for its result (the job waits 62 s for a worker)', async () => {
    const started = Date.now();
    const pending = fetch(url('/v1/enhance-audio', patient), { method: 'POST', body: form(clip) });
    await new Promise((r) => setTimeout(r, 62_000));
    extra.push(await startStack(config, { roles: ['gpu'] }));
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    expect(Date.now() - started).toBeGreaterThan(62_000);
  }, 180_000);
});
