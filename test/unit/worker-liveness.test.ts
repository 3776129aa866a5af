/**
 * Worker heartbeats come from a thread: a main event loop held for seconds (a model load, one ONNX
 * run) must not make /health report the worker dead, and a graceful stop removes the row at once.
 * The Temporal Worker is represented only by its state (getState), which is all liveness reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { openDatabase } from '../../lib/db';
import { LIVE_WITHIN_MS, WorkerHeartbeats } from '../../lib/liveness/worker-heartbeats';
import { reportLiveness } from '../../workers/liveness';
import { until } from '../helpers/jobs';

jest.setTimeout(60_000);

it('beats while the main thread is blocked, and forgets the worker as soon as it stops', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-liveness-'));
  const databaseUrl = `sqlite:${path.join(dir, 'db.sqlite')}`;
  const db = await openDatabase(databaseUrl);
  const beats = new WorkerHeartbeats(db);
  let state = 'INITIALIZED';
  const worker = { getState: () => state } as unknown as Worker;
  try {
    reportLiveness(worker, { databaseUrl, role: 'gpu', taskQueue: 'q-gpu', kinds: ['activity'] });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await beats.live('q-gpu', 'activity')).toBe(0); // not polling yet: no claim of liveness
    state = 'RUNNING';
    await until(async () => (await beats.live('q-gpu', 'activity')) === 1, 20_000, 100);

    // Hold the event loop for longer than the liveness window, as a long synchronous step would.
    const until2 = Date.now() + LIVE_WITHIN_MS + 3000;
    while (Date.now() < until2) {
      /* busy */
    }
    const row = await db.get<{ seen_ms: number | string }>(`SELECT seen_ms FROM worker_heartbeats WHERE task_queue = 'q-gpu'`);
    expect(Date.now() - Number(row!.seen_ms)).toBeLessThan(LIVE_WITHIN_MS);
    expect(await beats.live('q-gpu', 'activity')).toBe(1);

    state = 'STOPPING';
    await until(async () => (await beats.live('q-gpu', 'activity')) === 0, 10_000, 100);
    expect(await db.all(`SELECT * FROM worker_heartbeats`)).toEqual([]);
  } finally {
    await db.close();
  }
});

describe.each([
  ['sqlite', () => `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-hb-')), 'db.sqlite')}`],
  ['postgres', () => process.env.VOXFLOW_TEST_POSTGRES_URL!],
])('WorkerHeartbeats on %s', (_name, url) => {
  it('counts a worker while its beat is fresh, not after the window, not after forget', async () => {
    const db = await openDatabase(url());
    const beats = new WorkerHeartbeats(db);
    const queue = `q-${Math.random().toString(36).slice(2)}`;
    const now = Date.now();
    try {
      await beats.beat({ workerId: 'w1', taskQueue: queue, kinds: ['workflow', 'activity'] }, now);
      await beats.beat({ workerId: 'w1', taskQueue: queue, kinds: ['workflow', 'activity'] }, now + 1000); // an upsert, not a second row
      await beats.beat({ workerId: 'w2', taskQueue: queue, kinds: ['activity'] }, now - LIVE_WITHIN_MS - 1);
      expect(await beats.live(queue, 'activity', now + 1000)).toBe(1);
      expect(await beats.live(queue, 'workflow', now + 1000)).toBe(1);
      expect(await beats.live(queue, 'activity', now + 1000 + LIVE_WITHIN_MS)).toBe(0);
      await beats.forget('w1');
      expect(await beats.live(queue, 'activity', now + 1000)).toBe(0);
    } finally {
      await db.run(`DELETE FROM worker_heartbeats WHERE task_queue = ?`, [queue]);
      await db.close();
    }
  });
});
