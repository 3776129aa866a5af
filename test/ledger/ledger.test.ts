/** The credit ledger on both real databases: SQLite (WAL file) and PostgreSQL (started by the test setup). */
import crypto from 'node:crypto';
import path from 'node:path';
import { openDatabase, type Sql } from '../../lib/db';
import { migrate, MIGRATION_IDS } from '../../lib/db/migrations';
import { InsufficientCreditsError, Ledger } from '../../lib/ledger/ledger';

const backends: Array<[string, () => string]> = [
  ['sqlite', () => path.join(process.env.VOXFLOW_TEST_DIR!, `ledger-${crypto.randomUUID()}.sqlite`)],
  ['postgres', () => process.env.VOXFLOW_TEST_POSTGRES_URL!],
];

describe.each(backends)('ledger on %s', (_name, url) => {
  let sql: Sql;
  let ledger: Ledger;
  let dbUrl: string;
  beforeAll(async () => {
    dbUrl = url();
    sql = await openDatabase(dbUrl);
    ledger = new Ledger(sql);
  });
  afterAll(() => sql.close());

  const account = (credits: number) => ledger.createAccount({ tenant: `t-${crypto.randomUUID()}`, credits });
  const job = () => `job_${crypto.randomUUID().replace(/-/g, '')}`;

  it('reserve → settle charges the actual amount once, however often it is repeated', async () => {
    const a = await account(10);
    const j = job();
    expect(await ledger.reserve({ accountId: a.id, jobId: j, step: 'transcribe', amount: 4 })).toEqual({ amount: 4, repeated: false });
    expect(await ledger.reserve({ accountId: a.id, jobId: j, step: 'transcribe', amount: 4 })).toEqual({ amount: 4, repeated: true });
    expect(await ledger.balance(a.id)).toBe(6);
    expect(await ledger.settle({ jobId: j, step: 'transcribe', actual: 3 })).toEqual({ charged: 3 });
    expect(await ledger.settle({ jobId: j, step: 'transcribe', actual: 3 })).toEqual({ charged: 3 });
    expect(await ledger.balance(a.id)).toBe(7);
    // A settled step is never refunded.
    expect(await ledger.refund({ jobId: j, step: 'transcribe' })).toEqual({ refunded: 0 });
    expect(await ledger.jobCharges(j)).toEqual([{ step: 'transcribe', reserved: 4, settled: 3, refunded: null }]);
  });

  it('refund returns a failed step’s reservation exactly once', async () => {
    const a = await account(5);
    const j = job();
    await ledger.reserve({ accountId: a.id, jobId: j, step: 'enhance', amount: 5 });
    expect(await ledger.balance(a.id)).toBe(0);
    expect(await ledger.refund({ jobId: j, step: 'enhance' })).toEqual({ refunded: 5 });
    expect(await ledger.refund({ jobId: j, step: 'enhance' })).toEqual({ refunded: 0 });
    expect(await ledger.refund({ jobId: job(), step: 'enhance' })).toEqual({ refunded: 0 });
    expect(await ledger.balance(a.id)).toBe(5);
  });

  it('refuses a reservation the balance cannot cover, changing nothing', async () => {
    const a = await account(2);
    const j = job();
    await expect(ledger.reserve({ accountId: a.id, jobId: j, step: 'transcribe', amount: 3 })).rejects.toBeInstanceOf(InsufficientCreditsError);
    await expect(ledger.reserve({ accountId: a.id, jobId: j, step: 'transcribe', amount: 3 })).rejects.toThrow('No credits remaining. Upgrade your plan.');
    expect(await ledger.balance(a.id)).toBe(2);
    expect(await ledger.jobCharges(j)).toEqual([]);
  });

  it('50 concurrent reservations against credits for 20: exactly 20 succeed, balance ends at 0', async () => {
    const a = await account(20);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => ledger.reserve({ accountId: a.id, jobId: job(), step: 'transcribe', amount: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(30);
    for (const f of failed) expect(f.reason).toBeInstanceOf(InsufficientCreditsError);
    expect(await ledger.balance(a.id)).toBe(0);
  });

  it('grants are idempotent on their reference', async () => {
    const a = await account(0);
    await ledger.grant(a.id, 100, 'purchase-1');
    await ledger.grant(a.id, 100, 'purchase-1');
    expect(await ledger.balance(a.id)).toBe(100);
  });

  it('migrations are recorded and not re-applied', async () => {
    // A second process opening the same database finds the schema in place.
    const again = await openDatabase(dbUrl);
    const rows = await again.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual(MIGRATION_IDS);
    expect(await migrate(again)).toEqual([]); // nothing left to apply
    await again.close();
  });
});
