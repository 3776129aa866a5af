/**
 * Real services for the test run: a Temporal dev server (the official CLI) and a MinIO server,
 * both installed into the per-user tools cache by scripts/test.sh (and again here if missing).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { ensureTemporalCli, startDevServer, waitForPort, type DevServer } from '../../temporal/dev-server';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startTemporal(dir: string, opts: { dbFile?: string; port?: number } = {}): Promise<DevServer> {
  fs.mkdirSync(dir, { recursive: true });
  return startDevServer({
    cli: ensureTemporalCli(),
    port: opts.port ?? (await freePort()),
    namespace: 'default',
    dbFile: opts.dbFile,
    headless: true,
    logFile: path.join(dir, 'temporal.log'),
  });
}

export function ensureMinio(): string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'install-minio.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface MinioServer {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startMinio(dir: string): Promise<MinioServer> {
  const bin = ensureMinio();
  const port = await freePort();
  const consolePort = await freePort();
  fs.mkdirSync(path.join(dir, 'minio'), { recursive: true });
  const log = fs.openSync(path.join(dir, 'minio.log'), 'a');
  const child = spawn(bin, ['server', path.join(dir, 'minio'), '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], {
    stdio: ['ignore', log, log],
    env: { ...process.env, MINIO_ROOT_USER: 'minioadmin', MINIO_ROOT_PASSWORD: 'minioadmin', MINIO_BROWSER: 'off' },
  });
  await waitForPort('127.0.0.1', port, 60_000);
  return {
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL cluster (Debian's server binaries) on a free loopback port. */
export async function startPostgres(): Promise<PostgresServer> {
  // Its own temp dir: the postgres user must be able to reach it (the test dir is private to root).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-pg-'));
  const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  const bin = path.join('/usr/lib/postgresql', versions[0], 'bin');
  const data = path.join(dir, 'pgdata');
  const port = await freePort();
  fs.mkdirSync(data, { recursive: true });
  // PostgreSQL refuses to run as root: hand the cluster to the postgres user when we are root.
  const asRoot = process.getuid?.() === 0;
  const exec = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  exec(path.join(bin, 'initdb'), ['-D', data, '-U', 'voxflow', '--auth=trust', '-E', 'UTF8']);
  exec(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    url: `postgres://voxflow@127.0.0.1:${port}/postgres`,
    async stop() {
      exec(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
