import type { Sql } from './sql';
import { SqliteSql } from './sqlite';
import { PostgresSql } from './postgres';
import { migrate } from './migrations';

export type { Sql } from './sql';

/** Opens the configured database (a `postgres://` URL, else a SQLite file) and applies migrations. */
export async function openDatabase(url: string): Promise<Sql> {
  const sql: Sql = /^postgres(ql)?:\/\//.test(url) ? new PostgresSql(url) : new SqliteSql(url.replace(/^sqlite:/, ''));
  await migrate(sql);
  return sql;
}
