import pg from 'pg';
import type { Row, Sql } from './sql';

/** `?` placeholders → `$1, $2, …` (no `?` appears in our SQL except as a placeholder). */
const toPg = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

type Queryable = pg.Pool | pg.PoolClient;

class PgScope implements Sql {
  readonly dialect = 'postgres' as const;
  constructor(
    protected readonly q: Queryable,
    private readonly pool: pg.Pool,
  ) {}

  async all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.q.query(toPg(sql), params)).rows as T[];
  }

  async get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.q.query(toPg(sql), params)).rowCount ?? 0 };
  }

  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.q !== this.pool) return fn(this); // already inside a transaction
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgScope(client, this.pool));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.q === this.pool) await this.pool.end();
  }
}

/** PostgreSQL for several API/worker machines; row locks (`FOR UPDATE`) serialise balance changes. */
export class PostgresSql extends PgScope {
  constructor(connectionString: string) {
    const pool = new pg.Pool({ connectionString, max: 10 });
    // BIGINT counts come back as strings by default; our amounts fit in a JS number.
    pg.types.setTypeParser(20, (v) => Number(v));
    super(pool, pool);
  }
}
