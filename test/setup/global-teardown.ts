import fs from 'node:fs';
import type { DevServer } from '../../temporal/dev-server';
import type { MinioServer, PostgresServer } from './services';

export default async function globalTeardown(): Promise<void> {
  const s = (globalThis as Record<string, unknown>).__voxflowServices as
    | { temporal: DevServer; minio: MinioServer; postgres: PostgresServer; dir: string }
    | undefined;
  if (!s) return;
  await Promise.all([s.temporal.stop(), s.minio.stop(), s.postgres.stop()]);
  fs.rmSync(s.dir, { recursive: true, force: true });
}
