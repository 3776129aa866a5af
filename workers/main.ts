/**
 * Worker process entrypoint: `tsx workers/main.ts control|gpu|all`.
 * SIGINT/SIGTERM start a graceful shutdown (Temporal's runtime handles the signals): polling stops,
 * in-flight activities get VOXFLOW_SHUTDOWN_GRACE_MS to finish, then are cancelled and retried elsewhere.
 * Under the launcher's supervisor the same shutdown starts when the launcher goes away, so a worker
 * never outlives it. Every worker reports its liveness in the database (what /health counts).
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { createStore } from '../lib/storage';
import { ModelRegistry } from '../lib/models/registry';
import { ModelEngines } from '../lib/asr/engines';
import { openDatabase } from '../lib/db';
import { Ledger } from '../lib/ledger/ledger';
import { Limits } from '../lib/accounts/limits';
import { watchParent } from '../lib/supervisor/parent-watch';
import { Client } from '@temporalio/client';
import { createWorker, type WorkerRole } from './create-workers';
import { ensureRetentionSchedule } from './retention-schedule';

export async function runWorkers(roles: WorkerRole[]): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config, `worker:${roles.join('+')}`);
  const store = createStore(config);
  await store.init();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Only gpu workers load models (lazily, on first use, once per process).
  const engines = roles.includes('gpu') ? new ModelEngines(new ModelRegistry(config.modelsDir), config, log) : undefined;
  // Only control workers touch the ledger; every worker reports its liveness in the same database (own connection).
  const control = roles.includes('control');
  const db = control ? await openDatabase(config.databaseUrl) : undefined;
  const deps = { config, store, log, engines, ledger: db ? new Ledger(db) : undefined, limits: db ? new Limits(db) : undefined };
  const liveness = { databaseUrl: config.databaseUrl };
  const workers = await Promise.all(roles.map((role) => createWorker(role, { config, deps, connection, liveness })));
  // Temporal's runtime turns SIGTERM into a graceful shutdown of every worker.
  watchParent((reason) => {
    log.warn({ reason }, 'launcher gone; shutting down');
    process.kill(process.pid, 'SIGTERM');
  });
  // The retention sweep runs on the control queue; its schedule is created or updated as a control worker starts.
  if (control) {
    await ensureRetentionSchedule(new Client({ connection, namespace: config.temporal.namespace }), config).catch((err) =>
      log.error({ err }, 'retention schedule not created or updated (it is retried at the next worker start)'));
  }
  log.info({ roles, address: config.temporal.address, queues: config.temporal.taskQueues, concurrency: config.temporal.concurrency, pid: process.pid }, 'workers polling');
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await engines?.release();
    await db?.close();
    await connection.close();
    log.info('workers stopped');
  }
}

if (require.main === module) {
  const arg = process.argv[2] ?? 'all';
  const roles: WorkerRole[] = arg === 'all' ? ['control', 'gpu'] : arg === 'control' || arg === 'gpu' ? [arg] : [];
  if (roles.length === 0) {
    console.error(`usage: workers/main.ts control|gpu|all (got ${arg})`);
    process.exit(2);
  }
  runWorkers(roles).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
