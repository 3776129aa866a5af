/**
 * The cluster shape on one machine: the API, one control worker and N gpu workers, each its own OS
 * process started from its production entrypoint (api/server.ts, workers/control.ts,
 * workers/gpu.ts) and configured only by environment variables, as an operator would run them
 * under systemd or Kubernetes. They share nothing local: each has its own data dir, and they meet
 * only in Temporal, object storage (MinIO) and the accounts database (PostgreSQL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** The shared services every process is pointed at. */
export interface SharedServices {
  temporalAddress: string;
  minioPort: number;
  minioBucket: string;
  databaseUrl: string;
}

export interface ClusterOptions {
  services: SharedServices;
  dir: string;
  gpuWorkers: number;
  /** Task queues of this cluster (several clusters may share one Temporal server). */
  queues: { control: string; gpu: string };
  apiPort: number;
  /** VOXFLOW_GPU_CONCURRENCY of each gpu worker; undefined: the hardware default (lib/inference-slots.ts). */
  gpuConcurrency?: number;
  /** More environment for every process (e.g. VOXFLOW_PAID_CONCURRENT). */
  env?: Record<string, string>;
}

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  log: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Cluster {
  api: ClusterProcess;
  control: ClusterProcess;
  gpu: ClusterProcess[];
  baseUrl: string;
  /** Activity slots each gpu worker polls with, as it logged them (VOXFLOW_GPU_CONCURRENCY or the hardware default). */
  gpuSlots: number[];
  /** The environment each process got (what the README's scale-out section documents). */
  env: Record<string, string>;
  /** The Temporal worker identity of a process (the SDK's default: pid@hostname). */
  identity(p: ClusterProcess): string;
  stop(): Promise<void>;
}

/** Settings of the parent's own environment that must not leak into the cluster's processes. */
const OWN_PREFIXES = ['VOXFLOW_', 'TEMPORAL_', 'MINIO_'];
const KEEP = new Set(['VOXFLOW_CACHE', 'VOXFLOW_MODELS_DIR']);

function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (OWN_PREFIXES.some((p) => k.startsWith(p)) && !KEEP.has(k)) continue;
    out[k] = v;
  }
  return out;
}

function start(name: string, file: string, env: Record<string, string>, dir: string): ClusterProcess {
  const log = path.join(dir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  const dataDir = path.join(dir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, file)], {
    cwd: root,
    env: { ...env, VOXFLOW_DATA_DIR: dataDir },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, pid: child.pid!, log, exited };
}

const alive = (p: ClusterProcess) => p.child.exitCode === null && p.child.signalCode === null;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, procs: ClusterProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = procs.find((p) => !alive(p));
    if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) before ${what}; see ${dead.log}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The concurrency a worker logged with 'workers polling' (workers/main.ts). */
function loggedConcurrency(log: string): { gpu: number; control: number } | undefined {
  const line = fs.readFileSync(log, 'utf8').split('\n').find((l) => l.includes('workers polling'));
  try {
    return line ? (JSON.parse(line) as { concurrency?: { gpu: number; control: number } }).concurrency : undefined;
  } catch {
    return undefined;
  }
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  fs.mkdirSync(o.dir, { recursive: true });
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: o.services.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    VOXFLOW_TASK_QUEUE_CONTROL: o.queues.control,
    VOXFLOW_TASK_QUEUE_GPU: o.queues.gpu,
    VOXFLOW_STORAGE: 'minio',
    MINIO_ENDPOINT: '127.0.0.1',
    MINIO_PORT: String(o.services.minioPort),
    MINIO_BUCKET: o.services.minioBucket,
    VOXFLOW_DATABASE_URL: o.services.databaseUrl,
    VOXFLOW_HOST: '127.0.0.1',
    VOXFLOW_PORT: String(o.apiPort),
    // Several API processes would share one key so page tokens work on any of them.
    VOXFLOW_PAGE_TOKEN_KEY: 'scale-out-page-token-key',
    VOXFLOW_SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: 'info',
    ...(o.gpuConcurrency ? { VOXFLOW_GPU_CONCURRENCY: String(o.gpuConcurrency) } : {}),
    ...o.env,
  };
  const full = { ...baseEnv(), ...env };
  // Workers first (the control worker bundles the workflow code, the slowest start), then the API.
  const control = start('control', 'workers/control.ts', full, o.dir);
  const gpu = Array.from({ length: o.gpuWorkers }, (_, i) => start(`gpu-${i + 1}`, `workers/gpu.ts`, full, o.dir));
  const api = start('api', 'api/server.ts', full, o.dir);
  const all = [api, control, ...gpu];
  const cluster: Cluster = {
    api,
    control,
    gpu,
    baseUrl: `http://127.0.0.1:${o.apiPort}`,
    gpuSlots: [],
    env,
    identity: (p) => `${p.pid}@${os.hostname()}`,
    async stop() {
      await Promise.all(
        all.map(async (p) => {
          if (!alive(p)) return;
          p.child.kill('SIGTERM');
          const t = setTimeout(() => alive(p) && p.child.kill('SIGKILL'), 15_000);
          await p.exited;
          clearTimeout(t);
        }),
      );
    },
  };
  try {
    const polling = (p: ClusterProcess) => fs.readFileSync(p.log, 'utf8').includes('workers polling');
    await waitFor('every worker polls', async () => [control, ...gpu].every(polling), 180_000, all);
    // /health counts workers by their heartbeats in the shared database: 200 once both queues have one.
    await waitFor('GET /health 200', async () => (await fetch(`${cluster.baseUrl}/health`)).status === 200, 60_000, all);
    cluster.gpuSlots = gpu.map((p) => loggedConcurrency(p.log)?.gpu ?? NaN);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
