/**
 * Workers report that they are alive themselves, in the database every process already shares.
 * Temporal's own view (DescribeTaskQueue pollers) cannot tell a dead worker from an idle one for
 * about a minute: a poller's lastAccessTime only moves when a long poll starts, and an idle poll
 * lasts up to 60 s (measured on the dev server: a live idle worker's entry reached 58 s of age
 * between refreshes, a killed one's kept growing, so no freshness rule under a minute separates them). A row refreshed every HEARTBEAT_INTERVAL_MS and counted only while younger than
 * LIVE_WITHIN_MS turns /health to 503 within seconds of the last worker on a queue going away.
 */
import os from 'node:os';
import crypto from 'node:crypto';
import type { Sql } from '../db';

export type PollerKind = 'workflow' | 'activity';

export const HEARTBEAT_INTERVAL_MS = 2000;
/** Three missed beats: quick for a dead process (beats come from a thread, so a busy event loop does not miss them). */
export const LIVE_WITHIN_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** A worker whose main event loop has not ticked this long is hung: it stops beating (the inference heartbeat timeout). */
export const STALLED_AFTER_MS = 60_000;
/** Rows of workers gone this long are deleted by whoever beats next. */
const FORGET_AFTER_MS = 24 * 3600_000;

export interface WorkerIdentity {
  workerId: string;
  taskQueue: string;
  kinds: PollerKind[];
}

export const newWorkerId = (role: string): string => `${os.hostname()}:${process.pid}:${role}:${crypto.randomUUID().slice(0, 8)}`;

export class WorkerHeartbeats {
  constructor(private readonly sql: Sql) {}

  async beat(w: WorkerIdentity, now = Date.now()): Promise<void> {
    for (const kind of w.kinds) {
      await this.sql.run(
        `INSERT INTO worker_heartbeats (worker_id, task_queue, kind, host, pid, seen_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (worker_id, task_queue, kind) DO UPDATE SET seen_ms = excluded.seen_ms`,
        [w.workerId, w.taskQueue, kind, os.hostname(), process.pid, now],
      );
    }
  }

  /** Workers of this kind that beat on this queue within LIVE_WITHIN_MS. */
  async live(taskQueue: string, kind: PollerKind, now = Date.now()): Promise<number> {
    const row = await this.sql.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM worker_heartbeats WHERE task_queue = ? AND kind = ? AND seen_ms > ?`,
      [taskQueue, kind, now - LIVE_WITHIN_MS],
    );
    return Number(row?.n ?? 0);
  }

  /** A worker that stops gracefully says so at once instead of waiting to go stale. */
  async forget(workerId: string): Promise<void> {
    await this.sql.run(`DELETE FROM worker_heartbeats WHERE worker_id = ?`, [workerId]);
  }

  async pruneStale(now = Date.now()): Promise<void> {
    await this.sql.run(`DELETE FROM worker_heartbeats WHERE seen_ms < ?`, [now - FORGET_AFTER_MS]);
  }
}
