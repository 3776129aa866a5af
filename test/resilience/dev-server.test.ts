/**
 * How temporal/dev-server.ts runs the dev server: the persistent SQLite file in WAL mode with
 * synchronous=normal (commits no longer wait on fsync, and a server killed with SIGKILL still keeps
 * every committed execution), and one partition per task queue (a task never waits on forwarding
 * between partitions). No worker is needed: a started workflow is state the server committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort, startTemporal } from '../setup/services';
import type { DevServer } from '../../temporal/dev-server';

jest.setTimeout(60_000);

/** SQLite's header, bytes 18 and 19: the file format's write and read versions (1: rollback journal, 2: WAL). */
function journalVersions(file: string): number[] {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  return [header[18], header[19]];
}

it('keeps its SQLite file in WAL mode, a SIGKILL loses no committed execution, and a task queue has one partition', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-dev-sqlite-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  const port = await freePort();
  let server: DevServer | undefined = await startTemporal(dir, { dbFile, port });
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: server.address });
    const workflowId = `wal-${Date.now()}`;
    // No worker polls this queue: the execution is only the server's committed state.
    const taskQueue = `wal-${workflowId}`;
    await new Client({ connection }).workflow.start('neverRuns', { taskQueue, workflowId });
    expect(journalVersions(dbFile)).toEqual([2, 2]);
    const partitions = await connection.workflowService.listTaskQueuePartitions({ namespace: 'default', taskQueue: { name: taskQueue } });
    expect(partitions.workflowTaskQueuePartitions).toHaveLength(1);
    await connection.close();
    connection = undefined;

    await server.stop('SIGKILL');
    server = await startTemporal(dir, { dbFile, port });
    connection = await Connection.connect({ address: server.address });
    const desc = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.type).toBe('neverRuns');
  } finally {
    await connection?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
