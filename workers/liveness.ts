/**
 * Ties a Temporal Worker's lifetime to its heartbeat row (written by workers/heartbeat-thread.ts):
 * ticks the thread while the worker is RUNNING, and has it remove the row as soon as the worker
 * starts stopping (or fails), so a graceful stop shows in /health at once.
 */
import path from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import type { Worker } from '@temporalio/worker';
import type { Logger } from '../lib/log';
import { HEARTBEAT_INTERVAL_MS, newWorkerId, type PollerKind } from '../lib/liveness/worker-heartbeats';
import type { FromThread, ToThread } from './heartbeat-thread';

// The thread loads TypeScript like the process does (tsx), whether the parent runs under tsx or jest.
const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'heartbeat-thread.ts'))});`;

export function reportLiveness(worker: Worker, opts: { databaseUrl: string; role: string; taskQueue: string; kinds: PollerKind[]; log?: Logger }): void {
  const identity = { workerId: newWorkerId(opts.role), taskQueue: opts.taskQueue, kinds: opts.kinds };
  const thread = new Thread(bootstrap, { eval: true, workerData: { databaseUrl: opts.databaseUrl, identity } });
  // Never what keeps a process alive.
  thread.unref();
  const send = (m: ToThread) => thread.postMessage(m);
  thread.on('message', (m: FromThread) => {
    // A database hiccup must not take the worker down; a missed beat shows in /health.
    if ('error' in m) opts.log?.warn({ err: m.error, workerId: identity.workerId }, 'worker heartbeat failed');
  });
  thread.on('error', (err) => opts.log?.warn({ err: err.message }, 'worker heartbeat thread failed'));
  const tick = () => {
    const state = worker.getState();
    if (state === 'RUNNING') send('tick');
    else if (state !== 'INITIALIZED') {
      clearInterval(timer);
      send('forget');
    }
  };
  const timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  // The first beat as soon as the worker polls, not an interval later.
  const early = setInterval(() => {
    if (worker.getState() !== 'INITIALIZED') {
      clearInterval(early);
      tick();
    }
  }, 100);
  early.unref();
}
