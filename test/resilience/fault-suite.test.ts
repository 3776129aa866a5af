/**
 * The fault suite: the real `npm start` launcher (scripts/start.ts) with its own Temporal dev server,
 * worker and API, and a paid account. In the middle of a running transcription of real speech, one
 * process at a time is killed with SIGKILL; each case checks that the supervisor brings it back by
 * itself, that the job completes and is charged exactly once, and that a request sent during the
 * outage is answered at once (503 with a JSON error and Retry-After, or a refused connection when
 * the API itself is the process that is down), never left hanging.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { jfk, librivox } from '../helpers/models';
import { ensureTemporalCli } from '../../temporal/dev-server';
import { alive, createPaidAccount, startLauncher, type ChildName, type Launcher } from '../helpers/launcher';

jest.setTimeout(300_000);

let launcher: Launcher;
let key: string;
let speech: string;
const CREDITS = 100;

/**
 * About 57 s of real speech (the JFK sample and LibriVox excerpts, then the first three again): a
 * 1-credit job that runs long enough to be interrupted, short enough for the suite's time budget.
 */
function longSpeech(dir: string): string {
  const parts = [jfk().wav, ...librivox().map((l) => l.wav)];
  const files = [...parts, ...parts.slice(0, 3)];
  const out = path.join(dir, 'long-speech.wav');
  const inputs = files.flatMap((f) => ['-i', f]);
  const chains = files.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono[a${i}]`).join(';');
  const concat = `${files.map((_, i) => `[a${i}]`).join('')}concat=n=${files.length}:v=0:a=1[out]`;
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...inputs, '-filter_complex', `${chains};${concat}`, '-map', '[out]', out]);
  return out;
}

const url = (p: string) => `${launcher.baseUrl}${p}`;
const auth = () => ({ Authorization: `Bearer ${key}` });

async function credits(): Promise<number> {
  return (await json(await fetch(url('/api/v1/account/'), { headers: auth() }))).credits;
}

async function submit(): Promise<string> {
  const fd = new FormData();
  fd.append('file', new Blob([fs.readFileSync(speech)]), 'long-speech.wav');
  fd.append('diarize', 'false');
  fd.append('language', 'en');
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { ...auth(), Prefer: 'respond-async' }, body: fd });
  expect(res.status).toBe(202);
  return (await json(res)).id;
}

async function job(id: string) {
  const res = await fetch(url(`/v1/jobs/${id}`), { headers: auth() });
  return res.status === 200 ? json(res) : undefined;
}

/** Waits until the transcribe step has reported progress (its first chunk is done): mid-transcription. */
async function untilTranscribing(id: string): Promise<void> {
  await until(async () => {
    const j = await job(id).catch(() => undefined);
    const step = j?.steps?.find((s: { name: string }) => s.name === 'transcribe');
    return step?.status === 'running' && step.progress > 0;
  }, 180_000, 250);
}

async function untilHealth(status: number, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await until(async () => (await fetch(url('/health'), { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status === status, timeoutMs, 250);
  return Date.now() - t0;
}

async function untilRestarted(name: ChildName, oldPid: number, previousStarts: number): Promise<void> {
  await until(async () => launcher.starts(name) > previousStarts && (() => {
    try {
      const pid = launcher.pidOf(name);
      return pid !== oldPid && alive(pid);
    } catch {
      return false;
    }
  })(), 60_000, 250);
  expect(alive(oldPid)).toBe(false);
}

/** The job ends succeeded with real words, and the account paid its credit exactly once. */
async function expectCompletedAndChargedOnce(id: string, before: number): Promise<void> {
  const done = await until(async () => {
    const j = await job(id).catch(() => undefined);
    return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  }, 240_000, 500);
  expect({ status: done.status, error: done.error ?? null }).toEqual({ status: 'succeeded', error: null });
  expect(done.steps.find((s: { name: string }) => s.name === 'transcribe').credits).toEqual({ reserved: 1, charged: 1 });
  const transcript = await json(await fetch(url(`/v1/jobs/${id}/result`), { headers: auth() }));
  expect(transcript.text.toLowerCase()).toContain('country');
  expect(await credits()).toBe(before - 1);
}

beforeAll(async () => {
  const base = process.env.VOXFLOW_TEST_DIR;
  if (!base) throw new Error('VOXFLOW_TEST_DIR unset: run through jest');
  const dir = path.join(base, `fault-suite-${process.pid}`);
  launcher = await startLauncher(dir);
  await untilHealth(200, 180_000);
  ({ key } = createPaidAccount(launcher, 'fault-suite', CREDITS));
  speech = longSpeech(dir);
});

afterAll(async () => {
  if (launcher && launcher.process.exitCode === null && launcher.process.signalCode === null) await launcher.stop();
});

it('kill -9 of the API mid-transcription: the supervisor restarts it, requests meanwhile are refused at once, the job completes, charged once', async () => {
  const before = await credits();
  const id = await submit();
  await untilTranscribing(id);
  const oldPid = launcher.pidOf('api');
  const starts = launcher.starts('api');
  process.kill(oldPid, 'SIGKILL');
  // The API is the process that is down: a client gets a refused connection at once, not a hang.
  const t0 = Date.now();
  const during = await fetch(url('/health'), { signal: AbortSignal.timeout(5000) }).then((r) => r.status, (e: Error) => e.name);
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(during).not.toBe('TimeoutError');
  await untilRestarted('api', oldPid, starts);
  await untilHealth(200, 60_000);
  expect(launcher.lines().some((l) => l.child === 'api' && l.signal === 'SIGKILL' && typeof l.restartInMs === 'number')).toBe(true);
  await expectCompletedAndChargedOnce(id, before);
});

it('kill -9 of the worker mid-transcription: /health turns 503 within 10 s, the worker comes back, the job completes, charged once', async () => {
  const before = await credits();
  const id = await submit();
  await untilTranscribing(id);
  const oldPid = launcher.pidOf('worker');
  const starts = launcher.starts('worker');
  const t0 = Date.now();
  process.kill(oldPid, 'SIGKILL');
  // Every answer meanwhile is prompt; the first 503 comes within 10 s of the last worker's death.
  let firstDegraded: number | undefined;
  while (firstDegraded === undefined && Date.now() - t0 < 15_000) {
    const r0 = Date.now();
    const res = await fetch(url('/health'), { signal: AbortSignal.timeout(5000) });
    expect(Date.now() - r0).toBeLessThan(2000);
    if (res.status === 503) {
      firstDegraded = Date.now() - t0;
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect((await json(res)).error).toEqual(expect.any(String));
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // A restarted worker may already have replaced it: then the 503 window was shorter than a poll.
  if (firstDegraded === undefined) expect(launcher.starts('worker')).toBeGreaterThan(starts);
  else expect(firstDegraded).toBeLessThan(10_000);
  await untilRestarted('worker', oldPid, starts);
  await untilHealth(200, 90_000);
  expect(launcher.lines().some((l) => l.child === 'worker' && l.signal === 'SIGKILL' && typeof l.restartInMs === 'number')).toBe(true);
  await expectCompletedAndChargedOnce(id, before);
});

it('kill -9 of the Temporal dev server mid-transcription: requests meanwhile get a prompt 503, the server comes back, the job completes, charged once', async () => {
  const before = await credits();
  const id = await submit();
  await untilTranscribing(id);
  const oldPid = launcher.pidOf('temporal');
  const starts = launcher.starts('temporal');
  process.kill(oldPid, 'SIGKILL');
  const t0 = Date.now();
  const res = await fetch(url(`/v1/jobs/${id}`), { headers: auth(), signal: AbortSignal.timeout(10_000) });
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBeTruthy();
  expect(await json(res)).toEqual({ error: expect.any(String) });
  await until(async () => launcher.starts('temporal') > starts && launcher.pidOf('temporal') !== oldPid && alive(launcher.pidOf('temporal')), 60_000, 250);
  expect(alive(oldPid)).toBe(false);
  await untilHealth(200, 90_000);
  await expectCompletedAndChargedOnce(id, before);
  // The restarted server keeps finished jobs as long as retention keeps their files (30 days + 1),
  // not the dev server's default 24 h, after which the sweep would take their files for orphans.
  const described = execFileSync(ensureTemporalCli(), ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', `127.0.0.1:${launcher.env.TEMPORAL_DEV_PORT}`], { encoding: 'utf8' });
  expect(described).toMatch(/WorkflowExecutionRetentionTtl\s+744h0m0s/);
});

it('keeps local state private: Temporal history database, logs and folders are not readable by others', () => {
  const modes = ['.', 'temporal', 'temporal/temporal.sqlite', 'logs', 'logs/temporal.log', 'voxflow.sqlite'].map((p) => {
    const full = path.join(launcher.dir, p);
    return [p, fs.existsSync(full) ? (fs.statSync(full).mode & 0o777).toString(8) : 'missing'];
  });
  expect(Object.fromEntries(modes)).toEqual({ '.': '700', temporal: '700', 'temporal/temporal.sqlite': '600', logs: '700', 'logs/temporal.log': '600', 'voxflow.sqlite': '600' });
});

it('kill -9 of the launcher itself: no child is left behind', async () => {
  const pids = (['api', 'worker', 'temporal'] as const).map((n) => launcher.pidOf(n));
  for (const pid of pids) expect(alive(pid)).toBe(true);
  launcher.process.kill('SIGKILL');
  await until(async () => pids.every((pid) => !alive(pid)), 30_000, 250);
});
