/**
 * The embedded default, one command. Each process is its own supervised child (lib/supervisor):
 * the Temporal dev server (unless TEMPORAL_ADDRESS points at a cluster), one `all` worker and the
 * API on :8080. A child that exits is restarted with backoff (logged with its exit code or signal);
 * SIGTERM/SIGINT stop them all (workers first, Temporal last); if this launcher is killed outright,
 * the children notice their supervisor's IPC channel close and shut themselves down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { waitForPort } from '../temporal/dev-server';
import { Supervisor } from '../lib/supervisor/supervisor';
import { makeDataPrivate } from '../lib/files/private-data';

const root = path.resolve(__dirname, '..');
// tsx's CommonJS hook (the project compiles to CommonJS), not `--import tsx`: the ESM hook runs a loader thread
// of its own, 37 MB of RSS in every child (node alone 39 MB, --require tsx/cjs 46, --import tsx 83).
const tsx = (file: string, ...args: string[]) => ({ command: process.execPath, args: ['--require', 'tsx/cjs', path.join(root, file), ...args] });

let stopping = false;

async function main() {
  const config = loadConfig();
  const log = createLogger(config, 'launcher');
  makeDataPrivate(config.dataDir);
  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  // Children read the same config from the same environment; they all talk to this Temporal.
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: config.temporal.address,
    ...(config.temporal.uiUrl ? { TEMPORAL_UI_URL: config.temporal.uiUrl } : {}),
  };
  const supervisor = new Supervisor({ log });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await supervisor.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (!config.temporal.externalAddress) {
    await supervisor.start({
      name: 'temporal',
      ...tsx('temporal/supervised-dev-server.ts'),
      // The wrapper reads the dev-server settings itself, so it must not see the address we set for the others.
      env: process.env,
      ready: () => waitForPort('127.0.0.1', config.temporal.devPort, 120_000),
      stopGraceMs: 15_000,
    });
  }
  // Workers finish in-flight activities within their own grace on SIGTERM; allow that and a margin.
  await supervisor.start({ name: 'worker', ...tsx('workers/main.ts', 'all'), env, stopGraceMs: config.temporal.shutdownGraceMs + 10_000 });
  await supervisor.start({
    name: 'api',
    ...tsx('api/server.ts'),
    env,
    ready: () => waitForPort(config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host, config.http.port, 120_000),
    stopGraceMs: 15_000,
  });
  log.info(`voxflow ready: API http://localhost:${config.http.port}  Temporal UI ${config.temporal.uiUrl ?? '(external)'}`);
}

main().catch((err) => {
  if (stopping) return; // a signal during start-up: shutdown() is already stopping what started
  console.error(err);
  process.exit(1);
});
