/**
 * The Temporal dev server as a supervised child of the launcher. The `temporal` CLI cannot watch
 * its parent, so this small node process owns it: it starts the server, exits when the server
 * exits (the supervisor then restarts both, with backoff), and stops the server when the launcher
 * goes away — even a launcher killed with SIGKILL (lib/supervisor/parent-watch.ts). Should this
 * wrapper itself be SIGKILLed, the server's pid file lets the next wrapper end the orphan before
 * it starts a new one on the same port and database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { watchParent } from '../lib/supervisor/parent-watch';
import { ensureTemporalCli, namespaceRetentionHours, setNamespaceRetention, startDevServer, type DevServer } from './dev-server';
import { killOrphan, writePidFile } from './orphan';

async function main() {
  const config = loadConfig();
  const log = createLogger(config, 'temporal');
  const t = config.temporal;
  const pidFile = path.join(path.dirname(t.dbFile), 'temporal.pid');
  const orphan = await killOrphan(pidFile);
  if (orphan) log.warn({ serverPid: orphan }, 'ended a Temporal dev server left behind by an earlier launcher');

  let dev: DevServer | undefined;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping the Temporal dev server');
    await dev?.stop();
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  watchParent((reason) => void stop(reason));

  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  dev = await startDevServer({
    cli: ensureTemporalCli(),
    port: t.devPort,
    uiPort: t.uiPort,
    dbFile: t.dbFile,
    namespace: t.namespace,
    logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
  });
  writePidFile(pidFile, dev.process.pid!);
  const retentionHours = namespaceRetentionHours(config.retention);
  setNamespaceRetention(ensureTemporalCli(), dev.address, t.namespace, retentionHours);
  log.info({ address: dev.address, ui: dev.uiUrl, db: t.dbFile, serverPid: dev.process.pid, retentionHours }, 'temporal dev server up');
  dev.process.once('exit', (code, signal) => {
    if (stopping) return;
    fs.rmSync(pidFile, { force: true });
    log.warn({ code, signal }, 'temporal dev server exited');
    // The supervisor restarts this wrapper, and so the server.
    process.exit(1);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
