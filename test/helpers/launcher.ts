/**
 * The real `npm start` launcher (scripts/start.ts) in a test: its own data dir, free ports, its own
 * Temporal dev server, worker and API as the supervisor's children. Pids come from the launcher's
 * JSON log, so a test can kill -9 exactly the process it means and watch it come back.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../setup/services';

const root = path.resolve(__dirname, '..', '..');

export type ChildName = 'api' | 'worker' | 'temporal';

export interface Launcher {
  dir: string;
  env: NodeJS.ProcessEnv;
  baseUrl: string;
  process: ChildProcess;
  logFile: string;
  /** The pid of the child's latest start ('temporal' is the server binary itself, not its wrapper). */
  pidOf(name: ChildName): number;
  /** How many times the supervisor started the child. */
  starts(name: ChildName): number;
  /** The launcher's log lines, parsed (non-JSON chatter from the SDK skipped). */
  lines(): Array<Record<string, unknown>>;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startLauncher(dir: string, extraEnv: Record<string, string> = {}): Promise<Launcher> {
  fs.mkdirSync(dir, { recursive: true });
  const [api, dev, ui] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The launcher must start its own dev server: nothing of the test run's shared services leaks in.
  for (const k of Object.keys(env)) if (/^(TEMPORAL_|VOXFLOW_|MINIO_)/.test(k) && k !== 'VOXFLOW_CACHE') delete env[k];
  Object.assign(env, {
    VOXFLOW_DATA_DIR: dir,
    VOXFLOW_HOST: '127.0.0.1',
    VOXFLOW_PORT: String(api),
    TEMPORAL_DEV_PORT: String(dev),
    TEMPORAL_UI_PORT: String(ui),
    VOXFLOW_SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: 'info',
    ...extraEnv,
  });
  const logFile = path.join(dir, 'launcher.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'start.ts')], { cwd: root, env, stdio: ['ignore', out, out] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = () =>
    fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const launcher: Launcher = {
    dir,
    env,
    baseUrl: `http://127.0.0.1:${api}`,
    process: child,
    logFile,
    lines,
    pidOf(name) {
      const all = lines();
      const hit =
        name === 'temporal'
          ? all.filter((l) => l.msg === 'temporal dev server up').map((l) => l.serverPid)
          : all.filter((l) => l.name === 'launcher' && l.child === name && l.msg === `${name} started`).map((l) => l.childPid);
      const pid = hit.at(-1);
      if (typeof pid !== 'number') throw new Error(`no pid for ${name} in ${logFile}`);
      return pid;
    },
    starts(name) {
      return lines().filter((l) => l.name === 'launcher' && l.child === name && l.msg === `${name} started`).length;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return launcher;
}

/** Creates a paid account with the operator CLI against the launcher's database; returns its key and id. */
export function createPaidAccount(l: Launcher, tenant: string, credits: number): { key: string; accountId: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'accounts.ts'), 'create', '--tenant', tenant, '--plan', 'paid', '--credits', String(credits)], {
    cwd: root,
    env: l.env,
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out) as { account: { id: string }; api_key: string };
  return { key: parsed.api_key, accountId: parsed.account.id };
}

/** Whether a process with this pid still runs (a zombie, dead but not yet reaped, does not). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
