import type { Sql } from './sql';

/**
 * Forward-only schema migrations, applied in order and recorded in schema_migrations. Written in
 * the SQL subset both SQLite and PostgreSQL accept.
 */
const MIGRATIONS: Array<{ id: number; name: string; sql: string[] }> = [
  {
    id: 1,
    name: 'accounts and ledger',
    sql: [
      `CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL UNIQUE,
        plan TEXT NOT NULL DEFAULT 'paid',
        credits BIGINT NOT NULL DEFAULT 0 CHECK (credits >= 0),
        email TEXT,
        preferences TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      )`,
      // One row per (job, step, kind): the uniqueness is what makes retries and replays charge once.
      `CREATE TABLE ledger_entries (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        job_id TEXT NOT NULL,
        step TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('reserve', 'settle', 'refund', 'grant')),
        amount BIGINT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (job_id, step, kind)
      )`,
      `CREATE INDEX ledger_account_time ON ledger_entries (account_id, created_at)`,
    ],
  },
  {
    id: 2,
    name: 'api keys, anonymous quotas, job slots',
    sql: [
      // Only a SHA-256 of each key is stored; the raw key is shown once, at creation.
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      )`,
      `CREATE TABLE anonymous_usage (
        ip TEXT NOT NULL,
        day TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (ip, day)
      )`,
      // Running jobs per tenant, for the concurrency limit; released when the job ends.
      `CREATE TABLE job_slots (
        job_id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX job_slots_tenant ON job_slots (tenant)`,
      // Upserting a tenant's row takes a row lock in PostgreSQL, serialising its slot claims.
      `CREATE TABLE tenant_locks (tenant TEXT PRIMARY KEY)`,
    ],
  },
  {
    id: 3,
    name: 'worker heartbeats',
    sql: [
      // Each worker process writes its row every few seconds; /health counts the fresh ones per queue.
      `CREATE TABLE worker_heartbeats (
        worker_id TEXT NOT NULL,
        task_queue TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('workflow', 'activity')),
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        seen_ms BIGINT NOT NULL,
        PRIMARY KEY (worker_id, task_queue, kind)
      )`,
    ],
  },
  {
    id: 4,
    name: 'opening-balance ledger entries',
    sql: [
      // Opening credits were written straight to accounts.credits, and an allowance entry held the
      // whole allowance rather than the change: one 'opening' grant per account makes its entries sum to
      // its balance, so from here on the balance can be rebuilt from the ledger. (The rebuild is
      // frozen here on purpose; lib/ledger/ledger.ts REBUILT_BALANCE is the live copy.)
      `INSERT INTO ledger_entries (id, account_id, job_id, step, kind, amount, created_at)
       SELECT 'opening-' || b.id, b.id, 'opening-' || b.id, 'opening', 'grant', b.credits - b.rebuilt, b.created_at
       FROM (
         SELECT a.id, a.credits, a.created_at,
           COALESCE((SELECT SUM(CASE e.kind WHEN 'grant' THEN e.amount WHEN 'reserve' THEN -e.amount WHEN 'refund' THEN e.amount ELSE 0 END)
                     FROM ledger_entries e WHERE e.account_id = a.id), 0)
           + COALESCE((SELECT SUM(r.amount - s.amount) FROM ledger_entries s
                       JOIN ledger_entries r ON r.job_id = s.job_id AND r.step = s.step AND r.kind = 'reserve'
                       WHERE s.kind = 'settle' AND s.account_id = a.id), 0) AS rebuilt
         FROM accounts a
       ) b
       WHERE b.credits <> b.rebuilt`,
    ],
  },
  {
    id: 5,
    name: 'chat sessions',
    sql: [
      // POST /api/v1/transcripts/:id/chat/ sessions (lib/rag/sessions.ts): the turns as JSON, bounded in
      // turns and characters by the API; rows idle longer than the retention period are deleted.
      `CREATE TABLE chat_sessions (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        transcript_id TEXT NOT NULL,
        turns TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX chat_sessions_tenant ON chat_sessions (tenant, transcript_id)`,
      `CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at)`,
    ],
  },
];

export const MIGRATION_IDS = MIGRATIONS.map((m) => m.id);

/** Applies every migration not yet applied (tests stop at `upTo` to set up data as an older release left it). */
export async function migrate(sql: Sql, upTo = Infinity): Promise<number[]> {
  await sql.run(`CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.id > upTo) break;
    await sql.tx(async (t) => {
      // Checked inside the transaction so two processes starting at once apply each migration once.
      if (await t.get(`SELECT id FROM schema_migrations WHERE id = ?`, [m.id])) return;
      for (const stmt of m.sql) await t.run(stmt);
      await t.run(`INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)`, [m.id, m.name, new Date().toISOString()]);
      applied.push(m.id);
    });
  }
  return applied;
}
