/**
 * Runs in a worker thread of each worker process: writes the process's heartbeat row every
 * HEARTBEAT_INTERVAL_MS on its own database connection. A thread, because inference can hold the
 * main event loop for seconds (a model load, one ONNX run) and a beat must not wait for it; yet a
 * main loop stuck for longer than STALLED_AFTER_MS stops the beats too (the main thread's ticks
 * stop), so /health does not vouch for a hung worker. Dies with the process, which is the point.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../lib/db';
import { HEARTBEAT_INTERVAL_MS, STALLED_AFTER_MS, WorkerHeartbeats, type WorkerIdentity } from '../lib/liveness/worker-heartbeats';

export type ToThread = 'tick' | 'forget';
export type FromThread = { error: string } | { forgotten: true };

const { databaseUrl, identity } = workerData as { databaseUrl: string; identity: WorkerIdentity };
const port = parentPort!;
const report = (m: FromThread) => port.postMessage(m);
/** No beat before the main thread says the worker polls. */
let lastTick = 0;

/** A database that is down when the worker starts must not silence its heartbeats for good. */
async function openWithRetry() {
  for (;;) {
    try {
      return await openDatabase(databaseUrl);
    } catch (err) {
      report({ error: (err as Error).message });
      await new Promise((r) => setTimeout(r, HEARTBEAT_INTERVAL_MS));
    }
  }
}

async function main() {
  const db = await openWithRetry();
  const beats = new WorkerHeartbeats(db);
  let n = 0;
  let busy = false;
  const beat = async () => {
    if (busy || Date.now() - lastTick > STALLED_AFTER_MS) return;
    busy = true;
    try {
      await beats.beat(identity);
      if (n++ % 1000 === 0) await beats.pruneStale();
    } catch (err) {
      report({ error: (err as Error).message });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
  port.on('message', async (m: ToThread) => {
    if (m === 'tick') {
      const first = lastTick === 0;
      lastTick = Date.now();
      if (first) void beat();
      return;
    }
    clearInterval(timer);
    await beats.forget(identity.workerId).catch((err: Error) => report({ error: err.message }));
    await db.close().catch(() => undefined);
    report({ forgotten: true });
    port.close();
  });
}

main().catch((err) => report({ error: (err as Error).message }));
