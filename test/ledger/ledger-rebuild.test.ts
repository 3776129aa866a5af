/**
 * Every credit movement is a ledger entry: each account's balance, rebuilt from the ledger alone,
 * equals the stored one, on SQLite and PostgreSQL. Data left by older releases (credits written
 * straight to the balance) is brought into line by a migration.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Sql } from '../../lib/db';
import { SqliteSql } from '../../lib/db/sqlite';
import { PostgresSql } from '../../lib/db/postgres';
import { migrate, MIGRATION_IDS } from '../../lib/db/migrations';
import { Ledger } from '../../lib/ledger/ledger';

/** A brand-new empty database for each call, so the migration test starts from an older schema. */
async function freshPostgresUrl(): Promise<string> {
  const base = process.env.VOXFLOW_TEST_POSTGRES_URL!;
  const name = `ledger_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return base.replace(/\/[^/]*$/, `/${name}`);
}

const backends: Array<[string, () => Promise<string>]> = [
  ['sqlite', async () => path.join(process.env.VOXFLOW_TEST_DIR!, `ledger-${crypto.randomUUID()}.sqlite`)],
  ['postgres', freshPostgresUrl],
];

const rawSql = (url: string): Sql => (url.startsWith('postgres') ? new PostgresSql(url) : new SqliteSql(url));

describe.each(backends)('ledger rebuild on %s', (_name, url) => {
  const job = () => `job_${crypto.randomUUID().replace(/-/g, '')}`;

  it('rebuilds every account’s balance from the ledger after every kind of credit movement', async () => {
    const sql = await openDatabase(await url());
    const ledger = new Ledger(sql);
    try {
      // Opening credits, an operator grant (repeated: idempotent), a free allowance over two periods
      // (one with credits left over, one with more left than the allowance), and job steps that
      // settle below the hold, refund, and stay open.
      const paid = await ledger.createAccount({ tenant: `t-${crypto.randomUUID()}`, plan: 'paid', credits: 50 });
      await ledger.grant(paid.id, 25, 'invoice-1');
      await ledger.grant(paid.id, 25, 'invoice-1');
      const j1 = job();
      await ledger.reserve({ accountId: paid.id, jobId: j1, step: 'transcribe', amount: 10 });
      await ledger.settle({ jobId: j1, step: 'transcribe', actual: 7 });
      const j2 = job();
      await ledger.reserve({ accountId: paid.id, jobId: j2, step: 'enhance', amount: 4 });
      await ledger.refund({ jobId: j2, step: 'enhance' });
      await ledger.reserve({ accountId: paid.id, jobId: job(), step: 'transcribe', amount: 3 }); // still running
      expect(await ledger.balance(paid.id)).toBe(50 + 25 - 7 - 3);

      const free = await ledger.createAccount({ tenant: `t-${crypto.randomUUID()}`, plan: 'free', credits: 0 });
      await ledger.ensureAllowance(free.id, 600, '2026-11');
      const j3 = job();
      await ledger.reserve({ accountId: free.id, jobId: j3, step: 'transcribe', amount: 100 });
      await ledger.settle({ jobId: j3, step: 'transcribe', actual: 100 });
      await ledger.ensureAllowance(free.id, 600, '2026-11'); // same period: nothing changes
      expect(await ledger.balance(free.id)).toBe(500);
      await ledger.ensureAllowance(free.id, 600, '2026-12'); // unused minutes do not carry over
      expect(await ledger.balance(free.id)).toBe(600);
      await ledger.ensureAllowance(free.id, 200, '2027-01'); // a smaller allowance lowers it
      expect(await ledger.balance(free.id)).toBe(200);

      const rich = await ledger.createAccount({ tenant: `t-${crypto.randomUUID()}`, plan: 'free', credits: 1000 });
      await ledger.ensureAllowance(rich.id, 600, '2026-12');
      expect(await ledger.balance(rich.id)).toBe(600);

      for (const a of [paid, free, rich]) expect(await ledger.rebuiltBalance(a.id)).toBe(await ledger.balance(a.id));
      const accounts = await sql.all<{ id: string }>(`SELECT id FROM accounts`);
      expect(accounts.length).toBeGreaterThanOrEqual(3);
      expect(await ledger.audit()).toEqual([]); // every account in the database balances
    } finally {
      await sql.close();
    }
  });

  it('the audit finds a balance written outside the ledger', async () => {
    const sql = await openDatabase(await url());
    const ledger = new Ledger(sql);
    try {
      const a = await ledger.createAccount({ tenant: `t-${crypto.randomUUID()}`, credits: 5 });
      await sql.run(`UPDATE accounts SET credits = 9 WHERE id = ?`, [a.id]);
      expect(await ledger.audit()).toEqual([{ accountId: a.id, credits: 9, rebuilt: 5 }]);
    } finally {
      await sql.close();
    }
  });

  it('a migration gives data from before this change the entries that make it balance', async () => {
    const dbUrl = await url();
    const sql = rawSql(dbUrl);
    try {
      // The schema and writes of the previous release: opening credits straight into accounts, and
      // allowance entries holding the whole allowance while the balance was reset to it.
      await migrate(sql, 3);
      const at = new Date().toISOString();
      await sql.run(`INSERT INTO accounts (id, tenant, plan, credits, created_at) VALUES ('acct_old', 'old', 'paid', 40, ?)`, [at]);
      await sql.run(`INSERT INTO accounts (id, tenant, plan, credits, created_at) VALUES ('acct_free', 'free', 'free', 600, ?)`, [at]);
      await sql.run(`INSERT INTO accounts (id, tenant, plan, credits, created_at) VALUES ('acct_none', 'none', 'paid', 0, ?)`, [at]);
      const entry = (id: string, acct: string, jobId: string, step: string, kind: string, amount: number) =>
        sql.run(`INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [id, acct, jobId, step, kind, amount, at]);
      await entry('e1', 'acct_old', 'invoice-9', 'grant', 'grant', 10); // balance was 30 opening + 10
      await entry('e2', 'acct_old', 'job_a', 'transcribe', 'reserve', 5);
      await entry('e3', 'acct_old', 'job_a', 'transcribe', 'settle', 5);
      await entry('e4', 'acct_free', 'allowance-acct_free-2026-11', 'allowance', 'grant', 600);
      await entry('e5', 'acct_free', 'job_b', 'transcribe', 'reserve', 100);
      await entry('e6', 'acct_free', 'job_b', 'transcribe', 'settle', 100);
      await entry('e7', 'acct_free', 'allowance-acct_free-2026-12', 'allowance', 'grant', 600); // reset 500 → 600
      const ledger = new Ledger(sql);
      expect((await ledger.audit()).map((m) => m.accountId).sort()).toEqual(['acct_free', 'acct_old']);

      expect(await migrate(sql)).toEqual(MIGRATION_IDS.filter((id) => id > 3));
      expect(await ledger.audit()).toEqual([]);
      expect(await ledger.balance('acct_old')).toBe(40);
      expect(await ledger.rebuiltBalance('acct_old')).toBe(40);
      expect(Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = 'acct_none'`))!.n)).toBe(0);
      // From then on new movements keep it balanced.
      await ledger.grant('acct_old', 3, 'invoice-10');
      await ledger.ensureAllowance('acct_free', 600, '2027-01');
      expect(await ledger.balance('acct_free')).toBe(600);
      expect(await ledger.audit()).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});
