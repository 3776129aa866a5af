/**
 * Worker process entrypoint: `tsx workers/main.ts control|gpu|all`.
 * SIGINT/SIGTERM start a graceful shutdown (Temporal's runtime handles the signals): polling stops,
 * in-flight activities get VOXFLOW_SHUTDOWN_GRACE_MS to finish, then are cancelled and retried elsewhere.
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
import { createWorker, type WorkerRole } from './create-workers';

export async function runWorkers(roles: WorkerRole[]): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config, `worker:${roles.join('+')}`);
  const store = createStore(config);
  await store.init();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Only gpu workers load models (lazily, on first use, once per process).
  const engines = roles.includes('gpu') ? new ModelEngines(new ModelRegistry(config.modelsDir), config, log) : undefined;
  // Only control workers touch the ledger.
  const db = roles.includes('control') ? await openDatabase(config.databaseUrl) : undefined;
  const deps = { config, store, log, engines, ledger: db ? new Ledger(db) : undefined, limits: db ? new Limits(db) : undefined };
  const workers = await Promise.all(roles.map((role) => createWorker(role, { config, deps, connection })));
  log.info({ roles, address: config.temporal.address, queues: config.temporal.taskQueues, pid: process.pid }, 'workers polling');
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
