/**
 * A real voxflow stack inside a test: workers (control + gpu) and optionally the API, all against
 * the run's Temporal dev server and the chosen storage. Nothing is mocked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import type { Config } from '../../lib/config';
import { createStore, type ObjectStore } from '../../lib/storage';
import { ModelRegistry } from '../../lib/models/registry';
import { ModelEngines } from '../../lib/asr/engines';
import { openDatabase, type Sql } from '../../lib/db';
import { Ledger } from '../../lib/ledger/ledger';
import { Limits } from '../../lib/accounts/limits';
import { accountServices } from '../../lib/accounts';
import { WorkerHeartbeats } from '../../lib/liveness/worker-heartbeats';
import { createWorker, type WorkerRole } from '../../workers/create-workers';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { attachStreaming, type Streaming } from '../../api/stream/attach';

// Worker state changes are info-level chatter in test output; so are expected job failures; keep errors.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export const workflowBundle = () =>
  (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietBundlerLogger }));

const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

export interface Stack {
  config: Config;
  ledger: Ledger;
  db: Sql;
  store: ObjectStore;
  client: Client;
  baseUrl?: string;
  /** WS /v1/stream, attached when the API runs. */
  streaming?: Streaming;
  stop(): Promise<void>;
}

export async function startStack(
  config: Config,
  opts: { roles?: WorkerRole[]; api?: boolean; store?: ObjectStore; apiDeps?: Partial<ApiDeps> } = {},
): Promise<Stack> {
  const log = pino({ level: 'warn' });
  const store = opts.store ?? createStore(config);
  await store.init();
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const engines = new ModelEngines(new ModelRegistry(config.modelsDir), config, log);
  const db: Sql = await openDatabase(config.databaseUrl);
  const ledger = new Ledger(db);
  const deps = { config, store, log, engines, ledger, limits: new Limits(db) };
  const workers: Worker[] = await Promise.all(
    (opts.roles ?? ['control', 'gpu']).map(async (role) =>
      createWorker(role, { config, deps, connection: nativeConnection, workflowBundle: role === 'control' ? await workflowBundle() : undefined, liveness: { databaseUrl: config.databaseUrl } }),
    ),
  );
  const running = workers.map((w) => w.run());
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });

  let server: http.Server | undefined;
  let baseUrl: string | undefined;
  let streaming: Streaming | undefined;
  if (opts.api) {
    const apiDeps: ApiDeps = {
      config,
      temporal: client,
      store,
      models: new ModelRegistry(config.modelsDir),
      log,
      gpu: async () => ({ available: false, name: null, memoryMb: null }),
      accounts: accountServices(db),
      tiers: config.tiers,
      liveness: new WorkerHeartbeats(db),
      ...opts.apiDeps,
    };
    const app = createApp(apiDeps);
    server = http.createServer(app.callback());
    streaming = attachStreaming(server, { api: apiDeps, config, log });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    config,
    ledger,
    db,
    store,
    client,
    baseUrl,
    streaming,
    async stop() {
      await streaming?.close();
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(running);
      await connection.close();
      await nativeConnection.close();
      await engines.release();
      await db.close();
    },
  };
}
