/** The launcher's supervisor with real child processes: restart with backoff, ordered stop, SIGKILL after grace, no orphans. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Backoff } from '../../lib/supervisor/backoff';
import { Supervisor, type ChildExit } from '../../lib/supervisor/supervisor';
import { killOrphan, writePidFile } from '../../temporal/orphan';
import { until } from '../helpers/jobs';

const node = (code: string) => ({ command: process.execPath, args: ['-e', code] });
const quietLog = () => {
  const lines: Array<{ obj: object; msg: string }> = [];
  const push = (obj: object, msg: string) => void lines.push({ obj, msg });
  return { log: { info: push, warn: push }, lines };
};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-supervisor-'));
const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after a stable run', () => {
    const b = new Backoff({ initialMs: 500, factor: 2, maxMs: 3000, stableMs: 30_000 });
    expect([10, 10, 10, 10, 10].map((ran) => b.next(ran))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(b.next(60_000)).toBe(500);
    expect(b.next(10)).toBe(1000);
  });
});

describe('Supervisor', () => {
  it('restarts a child that keeps exiting, with growing delays, each exit logged with its code', async () => {
    const { log, lines } = quietLog();
    const sup = new Supervisor({ log, backoff: { initialMs: 50, factor: 2, maxMs: 200, stableMs: 60_000 } });
    const exits: ChildExit[] = [];
    sup.on('exit', (e: ChildExit) => exits.push(e));
    await sup.start({ name: 'crasher', ...node('process.exit(3)') });
    await until(async () => exits.length >= 4, 20_000, 20);
    await sup.stop();
    expect(exits.slice(0, 4).map((e) => [e.code, e.signal, e.restartInMs])).toEqual([
      [3, null, 50],
      [3, null, 100],
      [3, null, 200],
      [3, null, 200],
    ]);
    expect(sup.starts('crasher')).toBeGreaterThanOrEqual(4);
    expect(lines.some((l) => l.msg === 'crasher exited (code 3); restarting in 50 ms')).toBe(true);
  });

  it('restarts a child killed by a signal, and logs the signal', async () => {
    const { log, lines } = quietLog();
    const sup = new Supervisor({ log, backoff: { initialMs: 50, factor: 2, maxMs: 200, stableMs: 60_000 } });
    const first = await sup.start({ name: 'sleeper', ...node('setInterval(() => {}, 1000)') });
    first.kill('SIGKILL');
    await until(async () => sup.starts('sleeper') === 2 && sup.child('sleeper')?.pid !== first.pid, 10_000, 20);
    expect(lines.some((l) => l.msg === 'sleeper exited (signal SIGKILL); restarting in 50 ms')).toBe(true);
    await sup.stop();
  });

  it('stop(): SIGTERM, last started first; SIGKILL for a child that ignores it after its grace; nothing restarted', async () => {
    const { log } = quietLog();
    const sup = new Supervisor({ log });
    const order: string[] = [];
    sup.on('exit', (e: ChildExit) => order.push(`${e.name}:${e.signal}`));
    const polite = await sup.start({ name: 'polite', ...node("process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)") });
    // Ready once it has installed its (ignoring) SIGTERM handler.
    const stubborn = await sup.start({
      name: 'stubborn',
      ...node("process.on('SIGTERM', () => {}); process.send('ready'); setInterval(() => {}, 1000)"),
      ready: (child) => new Promise((resolve) => child.once('message', () => resolve())),
      stopGraceMs: 300,
    });
    const t0 = Date.now();
    await sup.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(order).toEqual(['stubborn:SIGKILL', 'polite:null']);
    expect(alive(polite.pid!)).toBe(false);
    expect(alive(stubborn.pid!)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(sup.starts('polite')).toBe(1);
  });

  it('a supervised child exits by itself when its supervisor is killed with SIGKILL', async () => {
    const dir = tmp();
    const marker = path.join(dir, 'gone');
    const childScript = path.join(dir, 'child.ts');
    fs.writeFileSync(
      childScript,
      `import fs from 'node:fs';\nimport { watchParent } from ${JSON.stringify(path.resolve(__dirname, '../../lib/supervisor/parent-watch'))};\n` +
        `watchParent((reason) => { fs.writeFileSync(${JSON.stringify(marker)}, reason); process.exit(0); });\nprocess.send!('watching');\nsetInterval(() => {}, 1000);\n`,
    );
    // A stand-in supervisor: spawns the child with an IPC channel, prints its pid once it watches, then waits to be killed.
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(childScript)}], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }); c.once('message', () => console.log(c.pid)); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(__dirname, '../..') },
    );
    const childPid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    // (printed once the child reported that its watch is installed)
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await until(async () => !alive(childPid), 10_000, 50);
    expect(fs.readFileSync(marker, 'utf8')).toMatch(/IPC channel closed|gone/);
  });
});

describe('watchParent', () => {
  it('a child whose supervisor died before it began watching still exits', async () => {
    const dir = tmp();
    const childScript = path.join(dir, 'late-child.ts');
    fs.writeFileSync(
      childScript,
      `import { watchParent } from ${JSON.stringify(path.resolve(__dirname, '../../lib/supervisor/parent-watch'))};\n` +
        `setTimeout(() => watchParent(() => process.exit(0)), 1500);\nsetInterval(() => {}, 1000);\n`,
    );
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(childScript)}], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }); console.log(c.pid); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(__dirname, '../..') },
    );
    const childPid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    parent.kill('SIGKILL');
    await until(async () => !alive(childPid), 15_000, 50);
  });
});

describe('Temporal dev server pid file', () => {
  it('ends a dev server left behind by a dead wrapper, and leaves any other process alone', async () => {
    const dir = tmp();
    const file = path.join(dir, 'temporal.pid');
    // Stand-ins: the same argv shape as `temporal server start-dev …`, and an unrelated process.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'server', 'start-dev'], { stdio: 'ignore' });
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      writePidFile(file, stranger.pid!);
      expect(await killOrphan(file)).toBeUndefined();
      expect(alive(stranger.pid!)).toBe(true);
      writePidFile(file, orphan.pid!);
      expect(await killOrphan(file)).toBe(orphan.pid);
      await until(async () => !alive(orphan.pid!), 5000, 50);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      orphan.kill('SIGKILL');
      stranger.kill('SIGKILL');
    }
  });
});
