/**
 * The API against a Temporal that is down, hung or gone: it starts anyway, answers 503 with a JSON
 * error and Retry-After within a second (the client's own retries held each call 19–22 s), and
 * recovers by itself when the server is back. /health counts workers from their heartbeats: a
 * queue whose last worker stopped beating turns it 503 within seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { speechWav } from '../helpers/media';
import { until } from '../helpers/jobs';
import { freePort, startTemporal } from '../setup/services';
import { startApi } from '../../api/server';
import { openDatabase } from '../../lib/db';
import { WorkerHeartbeats, LIVE_WITHIN_MS } from '../../lib/liveness/worker-heartbeats';
import type { DevServer } from '../../temporal/dev-server';

jest.setTimeout(120_000);

const JOB = 'job_0123456789abcdef0123456789abcdef';

async function timed(p: string, base: string): Promise<{ ms: number; status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const t0 = Date.now();
  const res = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(30_000) });
  return { ms: Date.now() - t0, status: res.status, body: await json(res), retryAfter: res.headers.get('retry-after') };
}

it('starts without Temporal, answers 503 at once while it is down or hung, and recovers when it is back', async () => {
  const port = await freePort();
  // Every 503 is logged by the error handler; the test asserts the answers, not the log.
  const config = testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'silent' });
  // Before: Connection.connect threw here, and the API never started.
  const api = await startApi(config);
  const base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  let server: DevServer | undefined;
  try {
    const health = await timed('/health', base);
    expect(health).toMatchObject({ status: 503, body: { status: 'degraded', error: 'Temporal is unreachable.', temporal: { reachable: false } } });
    expect(health.ms).toBeLessThan(1500);
    for (const p of [`/v1/jobs/${JOB}`, '/api/v1/transcripts/']) {
      const r = await timed(p, base);
      // Anonymous callers cannot list transcripts (401 before any Temporal call); a job lookup needs Temporal.
      if (r.status === 401) continue;
      expect(r).toMatchObject({ status: 503, body: { error: expect.any(String) }, retryAfter: expect.any(String) });
      expect(r.ms).toBeLessThan(1000);
    }

    // A submission during the outage: refused at once, before a byte is stored or a slot taken.
    const fd = new FormData();
    fd.append('file', new Blob([fs.readFileSync(speechWav(path.join(config.dataDir, 'media'), 'Submitted while Temporal is down.'))]), 'speech.wav');
    const t0 = Date.now();
    const submit = await fetch(`${base}/v1/transcribe`, { method: 'POST', body: fd, signal: AbortSignal.timeout(30_000) });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(submit.status).toBe(503);
    expect(submit.headers.get('retry-after')).toBeTruthy();
    expect(await json(submit)).toEqual({ error: expect.any(String) });
    const storeDir = (config.storage as { dir?: string }).dir!;
    const stored = fs.existsSync(path.join(storeDir, 'uploads')) ? fs.readdirSync(path.join(storeDir, 'uploads'), { recursive: true }) : [];
    expect(stored).toEqual([]);

    server = await startTemporal(path.join(config.dataDir, 'temporal'), { port });
    // Back within a couple of probe intervals: the unknown job is now a plain 404.
    await until(async () => (await timed(`/v1/jobs/${JOB}`, base)).status === 404, 15_000, 200);
    expect((await timed('/health', base)).body).toMatchObject({ temporal: { reachable: true } });

    // A hung server (stopped, port open, no answers): a request already waiting on it is ended once
    // two probes in a row time out (about 3 s; not left to TCP keepalive, ~45 s), then 503 at once.
    server.process.kill('SIGSTOP');
    const waiting = await timed(`/v1/jobs/${JOB}`, base);
    expect(waiting).toMatchObject({ status: 503, body: { error: expect.any(String) } });
    expect(waiting.ms).toBeLessThan(5000);
    const hung = await timed(`/v1/jobs/${JOB}`, base);
    expect(hung).toMatchObject({ status: 503, body: { error: expect.any(String) } });
    expect(hung.ms).toBeLessThan(1000);
    server.process.kill('SIGCONT');
    await until(async () => (await timed(`/v1/jobs/${JOB}`, base)).status === 404, 15_000, 200);

    // kill -9 of the server: the first request after it is answered promptly too.
    server.process.kill('SIGKILL');
    await new Promise((r) => server!.process.once('exit', r));
    const gone = await timed(`/v1/jobs/${JOB}`, base);
    expect(gone).toMatchObject({ status: 503, body: { error: expect.any(String) } });
    expect(gone.ms).toBeLessThan(1500);
    server = undefined;
  } finally {
    await server?.stop();
    await api.close();
  }
});

it('/health counts live workers from their heartbeats: 503 once the last beat on a queue is older than the liveness window', async () => {
  const config = testConfig({ LOG_LEVEL: 'silent' });
  const api = await startApi(config);
  const base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  const db = await openDatabase(config.databaseUrl);
  const beats = new WorkerHeartbeats(db);
  const { control, gpu } = config.temporal.taskQueues;
  try {
    const worker = (id: string, queue: string, kinds: Array<'workflow' | 'activity'>, at = Date.now()) => beats.beat({ workerId: id, taskQueue: queue, kinds }, at);
    await until(async () => (await timed('/health', base)).body.temporal && ((await timed('/health', base)).body.temporal as { reachable: boolean }).reachable, 10_000);
    expect((await timed('/health', base)).body).toMatchObject({ status: 'degraded', error: 'No live worker on the control queue.' });

    await worker('c1', control, ['workflow', 'activity']);
    await worker('g1', gpu, ['activity']);
    const ok = await timed('/health', base);
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok', workers: { control: { workflow_pollers: 1, activity_pollers: 1 }, gpu: { activity_pollers: 1 } } } });

    // The gpu worker's last beat is just past the window (it died): degraded, naming the queue.
    await worker('g1', gpu, ['activity'], Date.now() - LIVE_WITHIN_MS - 100);
    expect(await timed('/health', base)).toMatchObject({ status: 503, body: { error: 'No live worker on the gpu queue.', workers: { gpu: { activity_pollers: 0 } } }, retryAfter: '5' });

    // A worker that stops gracefully removes its row at once.
    await worker('g2', gpu, ['activity']);
    expect((await timed('/health', base)).status).toBe(200);
    await beats.forget('g2');
    expect((await timed('/health', base)).status).toBe(503);
  } finally {
    await db.close();
    await api.close();
  }
});
