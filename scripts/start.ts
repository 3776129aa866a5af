/**
 * The embedded default, one command: Temporal dev server (unless TEMPORAL_ADDRESS points at a
 * cluster), an `all` worker process (supervised: restarted if it dies) and the API on :8080.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { ensureTemporalCli, startDevServer, type DevServer } from '../temporal/dev-server';
import { startApi } from '../api/server';

const root = path.resolve(__dirname, '..');

async function main() {
  const config = loadConfig();
  const log = createLogger(config, 'launcher');
  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });

  let dev: DevServer | undefined;
  if (!config.temporal.externalAddress) {
    dev = await startDevServer({
      cli: ensureTemporalCli(),
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: config.temporal.dbFile,
      namespace: config.temporal.namespace,
      logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
    });
    log.info({ address: dev.address, ui: dev.uiUrl, db: config.temporal.dbFile }, 'temporal dev server up');
  }

  let stopping = false;
  let worker: ChildProcess | undefined;
  const startWorker = () => {
    worker = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'workers', 'all.ts')], {
      stdio: 'inherit',
      env: { ...process.env, TEMPORAL_ADDRESS: config.temporal.address },
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      log.warn({ code, signal }, 'worker exited; restarting in 1 s');
      setTimeout(startWorker, 1000);
    });
  };
  startWorker();

  const api = await startApi(config);
  log.info(`voxflow ready: API http://localhost:${config.http.port}  Temporal UI ${dev?.uiUrl ?? config.temporal.uiUrl ?? '(external)'}`);

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down');
    await api.close().catch(() => undefined);
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await dev?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
