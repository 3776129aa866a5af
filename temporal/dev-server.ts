/**
 * Starts the official Temporal CLI dev server (persistent SQLite, Web UI on) as a child process
 * and waits until it accepts connections. Used by the launcher, the tests and the benchmarks.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { searchAttributeFlags } from './search-attributes';

export interface DevServerOptions {
  /** Path to the `temporal` CLI (temporal/install.sh prints it). */
  cli: string;
  port: number;
  uiPort?: number;
  /** Persistent state; omit for an in-memory server (tests that want a clean slate). */
  dbFile?: string;
  namespace: string;
  ip?: string;
  logFile?: string;
  headless?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs temporal/install.sh (idempotent, cached per user) and returns the CLI path. */
export function ensureTemporalCli(): string {
  const script = path.join(__dirname, 'install.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** How the persistent dev server keeps its SQLite file (see startDevServer; temporal/start-dev.sh passes the same). */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--namespace', opts.namespace, '--log-level', 'warn'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    // SQLite's defaults (rollback journal, synchronous=FULL) fsync several times per transaction, and
    // every workflow task, activity start and completion is one or more: each dispatch waited on the
    // disk. WAL with synchronous=NORMAL commits without waiting for it and stays consistent: a killed
    // server (kill -9, crash) loses nothing committed; only a power loss or OS crash may lose the last
    // commits (the history then ends a few events earlier, as if the server had stopped sooner).
    args.push(...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]));
  }
  if (opts.headless) args.push('--headless');
  else if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  args.push(...searchAttributeFlags());
  // Activities on the workflow's own task queue start in the same round trip (saves ~20 ms a step).
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  // One partition per task queue: this is one server process, and with the default four a task
  // written to one partition reaches a poller waiting on another only by forwarding (recipes bench,
  // SQLite in WAL mode: a job's first workflow task waited 7.5–11 ms with four, 6–7 ms with one).
  // A Temporal cluster keeps its own setting.
  args.push('--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1', '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1');
  // Registering attributes that already exist in a persistent DB is fine: the CLI skips them.
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(opts.cli, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${ip}:${opts.port}`;
  await Promise.race([
    waitForPort(ip, opts.port, 60_000),
    exited.then((code) => {
      throw new Error(`temporal dev server exited early with code ${code}${opts.logFile ? ` (see ${opts.logFile})` : ''}`);
    }),
  ]);
  return {
    address,
    uiUrl: opts.headless ? undefined : `http://${ip}:${opts.uiPort ?? opts.port + 1000}`,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * How long the namespace keeps finished executions: at least as long as voxflow keeps their files
 * (plus a day), because the retention sweep counts files of a forgotten job as orphans. The dev
 * server's default is 24 h, which would cut a 30-day policy to about two days.
 */
export function namespaceRetentionHours(retention: { days: number; failedDays: number }): number {
  if (retention.days === 0 || retention.failedDays === 0) return 10 * 365 * 24; // "keep forever"
  return (Math.max(retention.days, retention.failedDays) + 1) * 24;
}

export function setNamespaceRetention(cli: string, address: string, namespace: string, hours: number): void {
  execFileSync(cli, ['operator', 'namespace', 'update', '--namespace', namespace, '--retention', `${hours}h`, '--address', address], { stdio: 'pipe', timeout: 30_000 });
}

export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host, port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
