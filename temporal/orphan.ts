/** The dev server's pid file: how a new wrapper finds (and ends) a server its dead predecessor left running. */
import fs from 'node:fs';

export function writePidFile(file: string, pid: number): void {
  fs.writeFileSync(file, `${pid}\n`, { mode: 0o600 });
}

/** Ends the process named in `file` if it is still a Temporal dev server; returns its pid if so. */
export async function killOrphan(file: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  fs.rmSync(file, { force: true });
  if (!Number.isInteger(pid) || pid <= 1 || !isDevServer(pid)) return undefined;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return pid;
}

/** Pids are reused: only a process whose command line is `temporal … server start-dev` counts. */
function isDevServer(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('start-dev') && argv.includes('server');
  } catch {
    return false; // gone, or not Linux (no /proc): leave it alone rather than kill a stranger
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
