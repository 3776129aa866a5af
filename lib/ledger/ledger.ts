/**
 * Credits, accounted per job step: reserve before the step, settle after it, refund if it fails.
 * Every entry is unique on (job, step, kind), so a retried activity, a replayed workflow or a
 * duplicated request changes the balance exactly once. The balance can never go negative: a
 * reservation is one conditional UPDATE, atomic in SQLite and PostgreSQL alike.
 */
import crypto from 'node:crypto';
import type { Sql } from '../db';

export class InsufficientCreditsError extends Error {
  constructor(
    readonly needed: number,
    readonly available: number,
  ) {
    super('No credits remaining. Upgrade your plan.');
  }
}

export interface Account {
  id: string;
  tenant: string;
  plan: string;
  credits: number;
  email: string | null;
  preferences: Record<string, unknown>;
  created_at: string;
}

export interface StepCharge {
  step: string;
  reserved: number;
  settled: number | null;
  refunded: number | null;
}

const now = () => new Date().toISOString();

export class Ledger {
  constructor(private readonly sql: Sql) {}

  async createAccount(a: { tenant: string; plan?: string; credits?: number; email?: string }): Promise<Account> {
    const id = `acct_${crypto.randomUUID().replace(/-/g, '')}`;
    await this.sql.run(`INSERT INTO accounts (id, tenant, plan, credits, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      id, a.tenant, a.plan ?? 'paid', a.credits ?? 0, a.email ?? null, now(),
    ]);
    return (await this.account(id))!;
  }

  async account(id: string): Promise<Account | undefined> {
    const row = await this.sql.get<Account & { preferences: string }>(`SELECT * FROM accounts WHERE id = ?`, [id]);
    return row ? { ...row, credits: Number(row.credits), preferences: JSON.parse(row.preferences || '{}') } : undefined;
  }

  async balance(accountId: string): Promise<number> {
    const row = await this.sql.get<{ credits: number }>(`SELECT credits FROM accounts WHERE id = ?`, [accountId]);
    if (!row) throw new Error(`no account ${accountId}`);
    return Number(row.credits);
  }

  /** Adds credits (a purchase or an operator grant); `ref` makes the grant idempotent. */
  async grant(accountId: string, amount: number, ref: string): Promise<void> {
    await this.sql.tx(async (t) => {
      const ins = await t.run(
        `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, 'grant', 'grant', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
        [crypto.randomUUID(), accountId, ref, amount, now()],
      );
      if (ins.changes) await t.run(`UPDATE accounts SET credits = credits + ? WHERE id = ?`, [amount, accountId]);
    });
  }

  /**
   * Free plans: this period's allowance (e.g. 600 minutes a month) replaces the balance once per
   * period; unused minutes do not carry over.
   */
  async ensureAllowance(accountId: string, amount: number, period: string): Promise<void> {
    await this.sql.tx(async (t) => {
      const ins = await t.run(
        `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, 'allowance', 'grant', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
        [crypto.randomUUID(), accountId, `allowance-${accountId}-${period}`, amount, now()],
      );
      if (ins.changes) await t.run(`UPDATE accounts SET credits = ? WHERE id = ?`, [amount, accountId]);
    });
  }

  async updateAccount(id: string, patch: { email?: string | null; preferences?: Record<string, unknown> }): Promise<Account | undefined> {
    if (patch.email !== undefined) await this.sql.run(`UPDATE accounts SET email = ? WHERE id = ?`, [patch.email, id]);
    if (patch.preferences !== undefined) await this.sql.run(`UPDATE accounts SET preferences = ? WHERE id = ?`, [JSON.stringify(patch.preferences), id]);
    return this.account(id);
  }

  /** Credits charged per day and step over the last `days` days (settled entries). */
  async usage(accountId: string, days = 30): Promise<Array<{ day: string; step: string; credits: number; jobs: number }>> {
    const since = new Date(Date.now() - days * 86400_000).toISOString();
    const rows = await this.sql.all<{ day: string; step: string; credits: number; jobs: number }>(
      `SELECT substr(created_at, 1, 10) AS day, step, SUM(amount) AS credits, COUNT(*) AS jobs FROM ledger_entries
       WHERE account_id = ? AND kind = 'settle' AND created_at >= ? GROUP BY substr(created_at, 1, 10), step ORDER BY day, step`,
      [accountId, since]);
    return rows.map((r) => ({ day: r.day, step: r.step, credits: Number(r.credits), jobs: Number(r.jobs) }));
  }

  /** Holds `amount` credits for a step; repeating the call for the same (job, step) holds nothing more. */
  async reserve(r: { accountId: string; jobId: string; step: string; amount: number }): Promise<{ amount: number; repeated: boolean }> {
    return this.sql.tx(async (t) => {
      const ins = await t.run(
        `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, ?, 'reserve', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
        [crypto.randomUUID(), r.accountId, r.jobId, r.step, r.amount, now()],
      );
      if (!ins.changes) {
        const prior = await t.get<{ amount: number }>(`SELECT amount FROM ledger_entries WHERE job_id = ? AND step = ? AND kind = 'reserve'`, [r.jobId, r.step]);
        return { amount: Number(prior!.amount), repeated: true };
      }
      const upd = await t.run(`UPDATE accounts SET credits = credits - ? WHERE id = ? AND credits >= ?`, [r.amount, r.accountId, r.amount]);
      if (!upd.changes) {
        const available = await t.get<{ credits: number }>(`SELECT credits FROM accounts WHERE id = ?`, [r.accountId]);
        throw new InsufficientCreditsError(r.amount, Number(available?.credits ?? 0)); // rolls back the insert
      }
      return { amount: r.amount, repeated: false };
    });
  }

  /** Charges the actual amount (at most what was reserved) and returns the rest. Once per (job, step). */
  async settle(s: { jobId: string; step: string; actual: number }): Promise<{ charged: number }> {
    return this.sql.tx(async (t) => {
      const res = await t.get<{ amount: number; account_id: string }>(
        `SELECT amount, account_id FROM ledger_entries WHERE job_id = ? AND step = ? AND kind = 'reserve'`, [s.jobId, s.step]);
      if (!res) throw new Error(`no reservation for ${s.jobId}/${s.step}`);
      const reserved = Number(res.amount);
      const charged = Math.max(0, Math.min(s.actual, reserved));
      const ins = await t.run(
        `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, ?, 'settle', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
        [crypto.randomUUID(), res.account_id, s.jobId, s.step, charged, now()],
      );
      if (!ins.changes) {
        const prior = await t.get<{ amount: number }>(`SELECT amount FROM ledger_entries WHERE job_id = ? AND step = ? AND kind = 'settle'`, [s.jobId, s.step]);
        return { charged: Number(prior!.amount) };
      }
      if (reserved > charged) await t.run(`UPDATE accounts SET credits = credits + ? WHERE id = ?`, [reserved - charged, res.account_id]);
      return { charged };
    });
  }

  /** Returns a failed or cancelled step's reservation. A settled step is not refunded; repeats do nothing. */
  async refund(r: { jobId: string; step: string }): Promise<{ refunded: number }> {
    return this.sql.tx(async (t) => {
      const res = await t.get<{ amount: number; account_id: string }>(
        `SELECT amount, account_id FROM ledger_entries WHERE job_id = ? AND step = ? AND kind = 'reserve'`, [r.jobId, r.step]);
      if (!res) return { refunded: 0 };
      if (await t.get(`SELECT id FROM ledger_entries WHERE job_id = ? AND step = ? AND kind = 'settle'`, [r.jobId, r.step])) return { refunded: 0 };
      const ins = await t.run(
        `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, ?, 'refund', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
        [crypto.randomUUID(), res.account_id, r.jobId, r.step, res.amount, now()],
      );
      if (!ins.changes) return { refunded: 0 };
      await t.run(`UPDATE accounts SET credits = credits + ? WHERE id = ?`, [res.amount, res.account_id]);
      return { refunded: Number(res.amount) };
    });
  }

  async jobCharges(jobId: string): Promise<StepCharge[]> {
    const rows = await this.sql.all<{ step: string; kind: string; amount: number }>(
      `SELECT step, kind, amount FROM ledger_entries WHERE job_id = ? ORDER BY created_at`, [jobId]);
    const by = new Map<string, StepCharge>();
    for (const r of rows) {
      const c = by.get(r.step) ?? { step: r.step, reserved: 0, settled: null, refunded: null };
      if (r.kind === 'reserve') c.reserved = Number(r.amount);
      if (r.kind === 'settle') c.settled = Number(r.amount);
      if (r.kind === 'refund') c.refunded = Number(r.amount);
      by.set(r.step, c);
    }
    return [...by.values()];
  }
}
