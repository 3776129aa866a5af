/**
 * Durability for real: a worker process killed with SIGKILL mid-step, and a Temporal dev server
 * restarted on its persistent SQLite database, lose no job.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createStore } from '../../lib/storage';
import type { JobResult, StepHeartbeat } from '../../workflows/model';
import { defaultPayloadConverter } from '@temporalio/common';
import { testConfig } from '../helpers/config';
import { longNoisyAudio, speechWav } from '../helpers/media';
import { activityAttempts, startJob, until } from '../helpers/jobs';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../helpers/worker-process';
import { freePort, startTemporal } from '../setup/services';
import type { DevServer } from '../../temporal/dev-server';
import { openDatabase } from '../../lib/db';
import { Ledger } from '../../lib/ledger/ledger';

jest.setTimeout(240_000);

const workers: WorkerProcess[] = [];
afterEach(() => stopWorkers(workers));

async function enhanceProgress(client: Client, jobId: string): Promise<number | undefined> {
  const d = await client.workflow.getHandle(jobId).describe();
  const p = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'enhance');
  const payload = p?.heartbeatDetails?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<StepHeartbeat>(payload).progress : undefined;
}

it('kill -9 of the worker mid-activity (between reserve and settle): a restarted worker completes the job, charged once', async () => {
  const config = testConfig();
  const store = createStore(config);
  await store.init();
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection });
  const db = await openDatabase(config.databaseUrl);
  const ledger = new Ledger(db);
  const account = await ledger.createAccount({ tenant: 'crash-test', credits: 25 });
  try {
    const first = spawnWorker(config, 'all', 'worker-1.log');
    workers.push(first);
    await first.ready;
    const file = longNoisyAudio(path.join(config.dataDir, 'media'), 600); // 10 credits
    const { handle, jobId } = await startJob(client, config, store, file, 'enhance-audio', account.tenant, { billing: { accountId: account.id } });

    // Wait until the enhance step is demonstrably running (a heartbeat with progress), then SIGKILL.
    await until(async () => ((await enhanceProgress(client, jobId)) ?? 0) > 0.02, 120_000);
    // Reserved, not yet settled, when the worker dies.
    expect(await ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 10, settled: null, refunded: null }]);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = spawnWorker(config, 'all', 'worker-2.log');
    workers.push(second);
    await second.ready;
    const result = (await handle.result()) as JobResult;
    expect(result.outputs[0].sizeBytes).toBeGreaterThan(600 * 48000 * 2);
    // The step was retried after the heartbeat timeout, on the new worker.
    expect((await activityAttempts(client, jobId)).enhance).toEqual([2]);
    expect((await store.stat(result.outputs[0].key))?.size).toBe(result.outputs[0].sizeBytes);
    expect(await ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 10, settled: 10, refunded: null }]);
    expect(await ledger.balance(account.id)).toBe(15);
  } finally {
    await connection.close();
    await db.close();
  }
});

it('restarting the Temporal dev server keeps completed and running jobs (persistent SQLite)', async () => {
  const base = testConfig();
  const dbFile = path.join(base.dataDir, 'temporal', 'temporal.sqlite');
  const port = await freePort();
  let server: DevServer = await startTemporal(path.join(base.dataDir, 'temporal'), { dbFile, port });
  const config = { ...base, temporal: { ...base.temporal, address: server.address } };
  const store = createStore(config);
  await store.init();

  let connection = await Connection.connect({ address: config.temporal.address });
  let client = new Client({ connection });
  try {
    const worker = spawnWorker(config, 'all');
    workers.push(worker);
    await worker.ready;

    const done = await startJob(client, config, store, speechWav(path.join(config.dataDir, 'media'), 'Persisted before the restart.'));
    const doneResult = (await done.handle.result()) as JobResult;
    const running = await startJob(client, config, store, longNoisyAudio(path.join(config.dataDir, 'media'), 300));
    await until(async () => (await enhanceProgress(client, running.jobId)) !== undefined, 120_000);

    await connection.close();
    await server.stop();
    server = await startTemporal(path.join(base.dataDir, 'temporal'), { dbFile, port });
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection });

    // The completed job and its result survived.
    const again = client.workflow.getHandle(done.jobId);
    expect((await again.describe()).status.name).toBe('COMPLETED');
    expect(await again.result()).toEqual(doneResult);
    // The running job carries on to completion; the worker reconnects (or is restarted if it gave up).
    if (worker.child.exitCode !== null) {
      const w2 = spawnWorker(config, 'all', 'worker-2.log');
      workers.push(w2);
    }
    const result = (await client.workflow.getHandle(running.jobId).result()) as JobResult;
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'done']);
  } finally {
    await connection.close();
    await server.stop();
  }
});
