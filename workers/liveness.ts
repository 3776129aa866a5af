/**
 * Ties a Temporal Worker's lifetime to its heartbeat row: beats while the worker is RUNNING,
 * removes the row as soon as it starts stopping (or fails), and stops beating when it is done.
 */
import type { Worker } from '@temporalio/worker';
import type { Logger } from '../lib/log';
import { HEARTBEAT_INTERVAL_MS, newWorkerId, type PollerKind, type WorkerHeartbeats } from '../lib/liveness/worker-heartbeats';

export function reportLiveness(worker: Worker, opts: { heartbeats: WorkerHeartbeats; role: string; taskQueue: string; kinds: PollerKind[]; log?: Logger }): void {
  const identity = { workerId: newWorkerId(opts.role), taskQueue: opts.taskQueue, kinds: opts.kinds };
  let beats = 0;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const state = worker.getState();
      if (state === 'RUNNING') {
        await opts.heartbeats.beat(identity);
        if (beats++ % 1000 === 0) await opts.heartbeats.pruneStale();
      } else if (state !== 'INITIALIZED') {
        clearInterval(timer);
        await opts.heartbeats.forget(identity.workerId);
      }
    } catch (err) {
      // A database hiccup must not take the worker down; a missed beat shows in /health.
      opts.log?.warn({ err: (err as Error).message }, 'worker heartbeat failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), HEARTBEAT_INTERVAL_MS);
  timer.unref();
  // The first beat as soon as the worker polls, not one interval later.
  setTimeout(() => void tick(), 50).unref();
}
