/**
 * The data layer's one seam: SQLite (embedded default) and PostgreSQL (several machines) behind the
 * same async interface. SQL is written once in the portable subset with `?` placeholders.
 */
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  /** Runs `fn` in one serialisable-enough transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks). */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
