/** The SQLite database (accounts, key hashes, ledger) is private to the service user. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../lib/db';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

it('creates the database folder 0700 and the database with its WAL files 0600, whatever the umask', async () => {
  const dir = path.join(process.env.VOXFLOW_TEST_DIR!, `db-${crypto.randomUUID()}`, 'nested');
  const file = path.join(dir, 'voxflow.sqlite');
  const old = process.umask(0o022); // the usual default that made the file 0644 and the folder 0755
  try {
    const sql = await openDatabase(`sqlite:${file}`);
    await sql.run(`INSERT INTO tenant_locks (tenant) VALUES ('t')`); // writes through the WAL
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    await sql.close();

    // A database made before this change (0644) turns private when it is next opened.
    fs.chmodSync(file, 0o644);
    const again = await openDatabase(`sqlite:${file}`);
    expect(mode(file)).toBe(0o600);
    expect(await again.get(`SELECT tenant FROM tenant_locks`)).toEqual({ tenant: 't' });
    await again.close();
  } finally {
    process.umask(old);
  }
});
