import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Row, Sql } from './sql';

/**
 * SQLite in WAL mode. better-sqlite3 is synchronous, so a transaction cannot interleave with other
 * work in this process; BEGIN IMMEDIATE plus busy_timeout serialise writers across processes.
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private depth = 0;
  /** Serialises async transactions within this process (a tx body may await). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    if (file !== ':memory:') makePrivate(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
  }

  async all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...norm(params)) as T[];
  }

  async get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.db.prepare(sql).get(...norm(params)) as T | undefined;
  }

  async run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    const r = this.db.prepare(sql).run(...norm(params));
    return { changes: r.changes };
  }

  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn(this); // nested: join the outer transaction
    const run = async () => {
      this.db.exec('BEGIN IMMEDIATE');
      this.depth++;
      try {
        const result = await fn(this);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.depth--;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * Accounts, key hashes and the ledger are private to the service user, whatever the umask: the folder
 * is 0700 and the database 0600 before SQLite opens it (SQLite gives its -wal/-shm files the
 * database file's mode; existing ones are fixed too).
 */
function makePrivate(file: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** better-sqlite3 takes numbers, strings, bigints, buffers and null; booleans and dates need mapping. */
const norm = (params: unknown[]) =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Date ? p.toISOString() : p === undefined ? null : p));
