import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../lib/config';

const root = path.resolve(__dirname, '..', '..');

/** Env that reproduces a test Config in a child process (the same variables an operator would set). */
export function envFor(config: Config): Record<string, string> {
  return {
    VOXFLOW_DATA_DIR: config.dataDir,
    TEMPORAL_ADDRESS: config.temporal.address,
    VOXFLOW_TASK_QUEUE_CONTROL: config.temporal.taskQueues.control,
    VOXFLOW_TASK_QUEUE_GPU: config.temporal.taskQueues.gpu,
    VOXFLOW_SHUTDOWN_GRACE_MS: String(config.temporal.shutdownGraceMs),
    VOXFLOW_DATABASE_URL: config.databaseUrl,
    LOG_LEVEL: 'warn',
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker logged that it polls. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real worker entrypoint (`workers/main.ts`) as its own OS process, so tests can kill -9 it. */
export function spawnWorker(config: Config, role: 'all' | 'control' | 'gpu' = 'all', logName = 'worker.log'): WorkerProcess {
  const log = path.join(config.dataDir, logName);
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(root, 'workers', 'main.ts'), role], {
    env: { ...process.env, ...envFor(config), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = fs.createWriteStream(log, { flags: 'a' });
  child.stderr!.pipe(out);
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (c: Buffer) => {
      out.write(c);
      seen += c.toString();
      if (seen.includes('workers polling')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before polling; see ${log}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exited };
}

/** Stops every worker a test started (SIGTERM, then waits), whatever state they are in. */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  }
}
