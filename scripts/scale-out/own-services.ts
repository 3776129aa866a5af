/**
 * The shared services of a scale-out run started here (when no test setup hands us its own): a Temporal
 * dev server, MinIO and PostgreSQL. Started one after the other, because the dev server binds internal
 * ports of its own which MinIO's free-port pick could take; if one fails, those already started stop.
 */
import path from 'node:path';
import { startMinio, startPostgres, startTemporal } from '../../test/setup/services';

export interface ServiceAddresses {
  temporalAddress: string;
  minioPort: number;
  postgresUrl: string;
}

export interface OwnServices {
  addresses: ServiceAddresses;
  stop(): Promise<void>;
}

export async function startOwnServices(dir: string): Promise<OwnServices> {
  const owned: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of owned.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    // Persistent, as the cluster shape runs in production (SQLite in WAL mode: temporal/dev-server.ts), not in memory.
    const temporal = await startTemporal(path.join(dir, 'temporal'), { dbFile: path.join(dir, 'temporal', 'temporal.sqlite') });
    owned.push(temporal);
    const minio = await startMinio(dir);
    owned.push(minio);
    const postgres = await startPostgres();
    owned.push(postgres);
    return { addresses: { temporalAddress: temporal.address, minioPort: minio.port, postgresUrl: postgres.url }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
