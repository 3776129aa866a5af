/**
 * Tier limits that must hold across several API processes, so they live in the database:
 * anonymous transcriptions per IP per day, and concurrent jobs per tenant.
 */
import type { Sql } from '../db';

export interface TierLimits {
  maxUploadBytes: number;
  concurrentJobs: number;
  /** Anonymous only: jobs per IP per UTC day. */
  dailyJobs?: number;
  /** Free only: minutes of audio per calendar month (credits granted monthly). */
  monthlyMinutes?: number;
  /** Anonymous only: most seconds of decoded audio per job (unbilled, so bounded by length). */
  maxAudioSeconds?: number;
}

export type Plan = 'anonymous' | 'free' | 'paid';

/** Slots older than this are considered leaked (a job that never released): the longest job we allow. */
const STALE_SLOT_MS = 6 * 3600_000;

export class Limits {
  constructor(private readonly sql: Sql) {}

  /** Counts one anonymous job for `ip` today; false when the daily allowance is used up. */
  async takeAnonymousJob(ip: string, perDay: number, now = new Date()): Promise<boolean> {
    const day = now.toISOString().slice(0, 10);
    return this.sql.tx(async (t) => {
      await t.run(`INSERT INTO anonymous_usage (ip, day, count) VALUES (?, ?, 0) ON CONFLICT (ip, day) DO NOTHING`, [ip, day]);
      const r = await t.run(`UPDATE anonymous_usage SET count = count + 1 WHERE ip = ? AND day = ? AND count < ?`, [ip, day, perDay]);
      return r.changes > 0;
    });
  }

  /** Gives back an anonymous job that was counted but never started (e.g. rejected upload). */
  async returnAnonymousJob(ip: string, now = new Date()): Promise<void> {
    await this.sql.run(`UPDATE anonymous_usage SET count = count - 1 WHERE ip = ? AND day = ? AND count > 0`, [ip, now.toISOString().slice(0, 10)]);
  }

  /**
   * Claims a running-job slot for the tenant; false when its concurrency limit is reached. `existing`:
   * the job already holds one (an idempotent retry), which is not the caller's to release.
   */
  async claimSlot(tenant: string, jobId: string, limit: number): Promise<false | 'claimed' | 'existing'> {
    return this.sql.tx(async (t) => {
      await t.run(`INSERT INTO tenant_locks (tenant) VALUES (?) ON CONFLICT (tenant) DO UPDATE SET tenant = excluded.tenant`, [tenant]);
      await t.run(`DELETE FROM job_slots WHERE tenant = ? AND created_at < ?`, [tenant, new Date(Date.now() - STALE_SLOT_MS).toISOString()]);
      if (await t.get(`SELECT job_id FROM job_slots WHERE job_id = ?`, [jobId])) return 'existing'; // idempotent retry
      const row = await t.get<{ n: number }>(`SELECT COUNT(*) AS n FROM job_slots WHERE tenant = ?`, [tenant]);
      if (Number(row?.n ?? 0) >= limit) return false;
      await t.run(`INSERT INTO job_slots (job_id, tenant, created_at) VALUES (?, ?, ?)`, [jobId, tenant, new Date().toISOString()]);
      return 'claimed';
    });
  }

  async releaseSlot(jobId: string): Promise<void> {
    await this.sql.run(`DELETE FROM job_slots WHERE job_id = ?`, [jobId]);
  }

  /** Seconds until the next UTC day, for Retry-After on the anonymous daily limit. */
  static secondsUntilTomorrow(now = new Date()): number {
    const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    return Math.ceil((t.getTime() - now.getTime()) / 1000);
  }
}
