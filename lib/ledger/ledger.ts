/**
 * Credits, accounted per job step: reserve before the step, settle after it, refund if it fails.
 * Every entry is unique on (job, step, kind), so a retried activity, a replayed workflow or a
 * duplicated request changes the balance exactly once. The balance can never go negative: a
 * reservation is one conditional UPDATE, atomic in SQLite and PostgreSQL alike. Every change of
 * `accounts.credits` (opening credits, grants, allowances, reserve/settle/refund) has its entry, in
 * the same transaction, so the balance can be rebuilt from the ledger (`audit`).
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

/**
 * An account's balance from its entries alone (`a` is the accounts row): grants add, reservations
 * hold, refunds return the hold, and a settlement returns what the step did not use (reserve − charged).
 */
const REBUILT_BALANCE = `(
  COALESCE((SELECT SUM(CASE e.kind WHEN 'grant' THEN e.amount WHEN 'reserve' THEN -e.amount WHEN 'refund' THEN e.amount ELSE 0 END)
            FROM ledger_entries e WHERE e.account_id = a.id), 0)
  + COALESCE((SELECT SUM(r.amount - s.amount) FROM ledger_entries s
              JOIN ledger_entries r ON r.job_id = s.job_id AND r.step = s.step AND r.kind = 'reserve'
              WHERE s.kind = 'settle' AND s.account_id = a.id), 0))`;

export class Ledger {
  constructor(private readonly sql: Sql) {}

  /** Opening credits are a ledger entry like any other movement, so the balance can be rebuilt from the ledger. */
  async createAccount(a: { tenant: string; plan?: string; credits?: number; email?: string }): Promise<Account> {
    const id = `acct_${crypto.randomUUID().replace(/-/g, '')}`;
    await this.sql.tx(async (t) => {
      await t.run(`INSERT INTO accounts (id, tenant, plan, credits, email, created_at) VALUES (?, ?, ?, 0, ?, ?)`, [
        id, a.tenant, a.plan ?? 'paid', a.email ?? null, now(),
      ]);
      if (a.credits) await this.grantIn(t, id, a.credits, `initial-${id}`, 'initial');
    });
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
    await this.sql.tx((t) => this.grantIn(t, accountId, amount, ref, 'grant'));
  }

  /** One `grant` entry and the balance change it records, in the caller's transaction; false when `ref` was seen. */
  private async grantIn(t: Sql, accountId: string, amount: number, ref: string, step: string): Promise<boolean> {
    const ins = await t.run(
      `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, ?, 'grant', ?, ?) ON CONFLICT (job_id, step, kind) DO NOTHING`,
      [crypto.randomUUID(), accountId, ref, step, amount, now()],
    );
    if (ins.changes) await t.run(`UPDATE accounts SET credits = credits + ? WHERE id = ?`, [amount, accountId]);
    return ins.changes > 0;
  }

  /**
   * Free plans: this period's allowance (e.g. 600 minutes a month) replaces the balance once per
   * period; unused minutes do not carry over. The entry records the change (allowance minus what was
   * left, negative when more was left), so summing the ledger still gives the balance.
   */
  async ensureAllowance(accountId: string, amount: number, period: string): Promise<void> {
    await this.sql.tx(async (t) => {
      const ref = `allowance-${accountId}-${period}`;
      if (await t.get(`SELECT id FROM ledger_entries WHERE job_id = ? AND step = 'allowance' AND kind = 'grant'`, [ref])) return;
      // Locks the row (PostgreSQL) so a reservation cannot slip in between reading and resetting.
      const row = await t.get<{ credits: number }>(
        `SELECT credits FROM accounts WHERE id = ?${t.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [accountId]);
      if (!row) throw new Error(`no account ${accountId}`);
      await this.grantIn(t, accountId, amount - Number(row.credits), ref, 'allowance');
    });
  }

  /**
   * Every account whose stored balance differs from the one rebuilt from its ledger entries (one
   * statement, so one consistent snapshot even while jobs run). Empty when the books balance.
   */
  async audit(): Promise<Array<{ accountId: string; credits: number; rebuilt: number }>> {
    const rows = await this.sql.all<{ id: string; credits: number; rebuilt: number }>(
      `SELECT a.id, a.credits, ${REBUILT_BALANCE} AS rebuilt FROM accounts a`);
    return rows
      .map((r) => ({ accountId: r.id, credits: Number(r.credits), rebuilt: Number(r.rebuilt) }))
      .filter((r) => r.credits !== r.rebuilt);
  }

  /** The balance as the ledger alone says it is. */
  async rebuiltBalance(accountId: string): Promise<number> {
    const row = await this.sql.get<{ rebuilt: number }>(`SELECT ${REBUILT_BALANCE} AS rebuilt FROM accounts a WHERE a.id = ?`, [accountId]);
    if (!row) throw new Error(`no account ${accountId}`);
    return Number(row.rebuilt);
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
