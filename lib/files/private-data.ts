/**
 * Local state (Temporal's history database, logs, objects, the accounts database) holds every
 * job's inputs and results: it is private to the service user. The umask covers everything this
 * process and its children create from now on (the Temporal CLI included); the chmod covers what
 * an older version left world-readable.
 */
import fs from 'node:fs';
import path from 'node:path';

export function makeDataPrivate(dataDir: string): void {
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir, 3);
}

/** A few levels deep: the object store (possibly millions of files) keeps its own modes. */
function tighten(p: string, depth: number): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    if ((st.mode & 0o077) !== 0) fs.chmodSync(p, st.mode & 0o700);
    if (depth > 0) for (const name of fs.readdirSync(p)) if (name !== 'objects') tighten(path.join(p, name), depth - 1);
  } else if ((st.mode & 0o077) !== 0) fs.chmodSync(p, st.mode & 0o600);
}
