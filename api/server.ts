/**
 * API process entrypoint: builds the app from config and listens. It starts whether or not
 * Temporal is up (a lazy connection; /health and job calls answer 503 until it is), and under the
 * launcher's supervisor it exits when the launcher goes away.
 */
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../lib/config';
import { createLogger } from '../lib/log';
import { createStore } from '../lib/storage';
import { ModelRegistry } from '../lib/models/registry';
import { detectGpu, type GpuInfo } from '../lib/gpu';
import { createApp } from './app';
import { answerClientError } from './client-error';
import { openDatabase } from '../lib/db';
import { accountServices } from '../lib/accounts';
import { WorkerHeartbeats } from '../lib/liveness/worker-heartbeats';
import { watchParent } from '../lib/supervisor/parent-watch';
import { FAST_RECONNECT, TemporalAvailability } from './temporal-availability';
import type { ApiDeps } from './deps';
import { attachStreaming } from './stream/attach';

const CLOSE_GRACE_MS = 10_000;

export async function startApi(config: Config): Promise<{ server: http.Server; close(): Promise<void> }> {
  const log = createLogger(config, 'api');
  const store = createStore(config);
  await store.init();
  const availability = new TemporalAvailability({ address: config.temporal.address, log });
  await availability.start();
  const connection = Connection.lazy({ address: config.temporal.address, interceptors: availability.interceptors(), channelArgs: FAST_RECONNECT });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const db = await openDatabase(config.databaseUrl);
  let gpu: Promise<GpuInfo> | undefined;
  const deps: ApiDeps = {
    config,
    temporal,
    store,
    models: new ModelRegistry(config.modelsDir),
    log,
    gpu: () => (gpu ??= detectGpu()),
    accounts: accountServices(db),
    tiers: config.tiers,
    liveness: new WorkerHeartbeats(db),
    temporalAvailability: availability,
  };
  const app = createApp(deps);
  const server = http.createServer(app.callback());
  // WS /v1/stream on the same server; recognition in the pool's engine threads (api/stream/attach.ts).
  const streaming = attachStreaming(server, { api: deps, config, log });
  // Uploads of up to 2 GB over slow links and synchronous calls that wait up to VOXFLOW_SYNC_WAIT_MS: no
  // socket-level request timeout (a stalled body is answered 408 after VOXFLOW_UPLOAD_IDLE_MS, api/request-body.ts).
  server.requestTimeout = 0;
  server.on('clientError', answerClientError); // JSON answers for requests Koa never sees
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  log.info({ port: config.http.port, host: config.http.host, temporal: availability.reachable ? 'reachable' : 'unreachable' }, 'api listening');
  return {
    server,
    async close() {
      // In-flight requests (a synchronous call waits up to a minute) get a grace period, idle keep-alives none.
      await streaming.close(); // live streams are told (1001), finalised and settled
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await availability.stop();
      await connection.close();
      await db.close();
    },
  };
}

if (require.main === module) {
  const config = loadConfig();
  startApi(config).then(
    (api) => {
      const stop = () => api.close().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      watchParent(stop);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
