/** Starts one Temporal dev server and one MinIO for the whole run; tests find them through env vars. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMinio, startPostgres, startTemporal } from './services';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-test-'));
  const [temporal, minio, postgres] = await Promise.all([
    startTemporal(path.join(dir, 'temporal')),
    startMinio(dir),
    startPostgres(),
  ]);
  process.env.VOXFLOW_TEST_DIR = dir;
  process.env.VOXFLOW_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.VOXFLOW_TEST_MINIO_PORT = String(minio.port);
  process.env.VOXFLOW_TEST_POSTGRES_URL = postgres.url;
  (globalThis as Record<string, unknown>).__voxflowServices = { temporal, minio, postgres, dir };
}
