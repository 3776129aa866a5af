/** API process entrypoint: builds the app from config and listens. */
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../lib/config';
import { createLogger } from '../lib/log';
import { createStore } from '../lib/storage';
import { ModelRegistry } from '../lib/models/registry';
import { detectGpu, type GpuInfo } from '../lib/gpu';
import { createApp } from './app';
import { openDatabase } from '../lib/db';
import { accountServices } from '../lib/accounts';

export async function startApi(config: Config): Promise<{ server: http.Server; close(): Promise<void> }> {
  const log = createLogger(config, 'api');
  const store = createStore(config);
  await store.init();
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const db = await openDatabase(config.databaseUrl);
  let gpu: Promise<GpuInfo> | undefined;
  const app = createApp({
    config,
    temporal,
    store,
    models: new ModelRegistry(config.modelsDir),
    log,
    gpu: () => (gpu ??= detectGpu()),
    accounts: accountServices(db),
    tiers: config.tiers,
  });
  const server = http.createServer(app.callback());
  // Uploads of up to 2 GB over slow links: no socket-level request timeout; Koa handles aborts.
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  log.info({ port: config.http.port, host: config.http.host }, 'api listening');
  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await db.close();
    },
  };
}

if (require.main === module) {
  const config = loadConfig();
  startApi(config).then(
    (api) => {
      const stop = () => api.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
