/**
 * Builds the two kinds of worker. control: workflows + cheap I/O activities; gpu: inference and
 * heavy media activities (ONNX sessions are loaded once per process by the model registry).
 */
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Config } from '../lib/config';
import { createControlActivities, createGpuActivities, type ActivityDeps } from '../activities';
import { reportLiveness } from './liveness';

export type WorkerRole = 'control' | 'gpu';

export interface WorkerSetup {
  config: Pick<Config, 'temporal'>;
  deps: ActivityDeps;
  connection: NativeConnection;
  /** Pre-bundled workflow code (tests, benchmarks); default bundles workflows/ at start. */
  workflowBundle?: WorkflowBundleOption;
  /** The database where the worker reports that it is alive (what /health counts). */
  liveness?: { databaseUrl: string };
}

export async function createWorker(role: WorkerRole, setup: WorkerSetup): Promise<Worker> {
  const worker = await buildWorker(role, setup);
  if (setup.liveness) {
    const t = setup.config.temporal;
    const taskQueue = role === 'control' ? t.taskQueues.control : t.taskQueues.gpu;
    reportLiveness(worker, { databaseUrl: setup.liveness.databaseUrl, role, taskQueue, kinds: role === 'control' ? ['workflow', 'activity'] : ['activity'], log: setup.deps.log });
  }
  return worker;
}

async function buildWorker(role: WorkerRole, setup: WorkerSetup): Promise<Worker> {
  const t = setup.config.temporal;
  const common = {
    connection: setup.connection,
    namespace: t.namespace,
    shutdownGraceTime: t.shutdownGraceMs,
  };
  if (role === 'control') {
    return Worker.create({
      ...common,
      taskQueue: t.taskQueues.control,
      ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
      activities: createControlActivities(setup.deps),
      maxConcurrentActivityTaskExecutions: t.concurrency.control,
      maxConcurrentWorkflowTaskExecutions: t.concurrency.workflows,
    });
  }
  return Worker.create({
    ...common,
    taskQueue: t.taskQueues.gpu,
    activities: createGpuActivities(setup.deps),
    maxConcurrentActivityTaskExecutions: t.concurrency.gpu,
    // Heartbeats carry job progress: forward them every 2 s instead of 80% of the heartbeat timeout.
    maxHeartbeatThrottleInterval: '2 seconds',
  });
}
