/**
 * The retention schedule exists on the Temporal server once a control worker process (the real
 * entrypoint, workers/main.ts) has started, follows the worker's configuration on its next start,
 * and its action runs the sweep on the control queue.
 */
import { testConfig } from '../helpers/config';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../helpers/worker-process';
import { until } from '../helpers/jobs';
import { Client, Connection } from '@temporalio/client';
import { retentionScheduleId } from '../../workers/retention-schedule';

const config = testConfig();
const workers: WorkerProcess[] = [];
let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: config.temporal.address });
  client = new Client({ connection, namespace: config.temporal.namespace });
});
afterAll(async () => {
  await stopWorkers(workers);
  await client.schedule.getHandle(retentionScheduleId(config.temporal.taskQueues.control)).delete().catch(() => undefined);
  await connection.close();
});

const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};

it('a starting control worker creates the schedule, a restart with another policy updates it, and it runs the sweep', async () => {
  const handle = client.schedule.getHandle(retentionScheduleId(config.temporal.taskQueues.control));
  await expect(handle.describe()).rejects.toThrow(); // nothing before the worker starts

  const first = await withEnv({ VOXFLOW_RETENTION_SWEEP_MINUTES: '45' }, async () => spawnWorker(config, 'control'));
  workers.push(first);
  await first.ready;
  let desc = await handle.describe();
  expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionSweep', taskQueue: config.temporal.taskQueues.control });
  expect(desc.action.args).toEqual([{ days: 30, failedDays: 7, orphanGraceHours: 24 }]);
  expect(desc.spec.intervals?.[0]?.every).toBe(45 * 60_000);
  await stopWorkers(workers);

  // The next start (another policy) updates the same schedule instead of failing or adding one.
  const second = await withEnv({ VOXFLOW_RETENTION_DAYS: '5', VOXFLOW_RETENTION_FAILED_DAYS: '1' }, async () => spawnWorker(config, 'control'));
  workers.push(second);
  await second.ready;
  desc = await handle.describe();
  expect(desc.action.args).toEqual([{ days: 5, failedDays: 1, orphanGraceHours: 24 }]);
  expect(desc.spec.intervals?.[0]?.every).toBe(60 * 60_000);

  // Triggered now, the schedule's sweep runs to completion on that worker.
  await handle.trigger();
  const run = await until(async () => (await handle.describe()).info.recentActions[0]?.action.workflow, 30_000);
  const result = await client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
  expect(result).toEqual({ expiredJobs: [], orphanFolders: [], objectsDeleted: 0, incompleteWrites: 0 });
}, 120_000);
