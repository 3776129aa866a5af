import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../lib/config';

/** A Config for one test file: its own data dir and task queues on the shared test servers. */
export function testConfig(env: Record<string, string> = {}): Config {
  const base = process.env.VOXFLOW_TEST_DIR;
  if (!base) throw new Error('VOXFLOW_TEST_DIR unset: run tests through jest (global setup starts the services)');
  const id = crypto.randomUUID().slice(0, 8);
  const dataDir = path.join(base, `data-${id}`);
  fs.mkdirSync(dataDir, { recursive: true });
  return loadConfig({
    VOXFLOW_DATA_DIR: dataDir,
    VOXFLOW_CACHE: process.env.VOXFLOW_CACHE,
    TEMPORAL_ADDRESS: process.env.VOXFLOW_TEST_TEMPORAL_ADDRESS,
    VOXFLOW_TASK_QUEUE_CONTROL: `control-${id}`,
    VOXFLOW_TASK_QUEUE_GPU: `gpu-${id}`,
    MINIO_PORT: process.env.VOXFLOW_TEST_MINIO_PORT,
    MINIO_BUCKET: `voxflow-${id}`,
    VOXFLOW_SHUTDOWN_GRACE_MS: '2000',
    // The tests were sized for two gpu slots; the default now follows the hardware (lib/inference-slots.ts).
    VOXFLOW_GPU_CONCURRENCY: '2',
    LOG_LEVEL: 'warn',
    VOXFLOW_PORT: '0',
    VOXFLOW_HOST: '127.0.0.1',
    ...env,
  });
}
