/**
 * Issue #9, finding 1: no document export can stall or crash the API. The API runs as its own
 * process, started the way an operator starts it (`node --import tsx api/server.ts`), so a blocked
 * event loop or a crash shows up here as what a client sees: slow or failed requests. Real
 * transcription jobs (workers in this process) produce the transcripts, which are then replaced by
 * a realistic 3-hour one, as a long recording would leave in storage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ApiKeys } from '../../lib/accounts/keys';
import { MAX_TITLE_CHARS } from '../../lib/transcript/documents';
import { render, toCsv } from '../../lib/transcript/formats';
import type { Transcript } from '../../lib/transcript/types';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startJob } from '../helpers/jobs';
import { longTranscript, slowTranscript } from '../helpers/long-transcript';
import { jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { envFor } from '../helpers/worker-process';
import type { JobResult } from '../../workflows/model';

const root = path.resolve(__dirname, '..', '..');
const config = testConfig();
const LONG_NAME = `${'x'.repeat(200_000)}.wav`;
// The export bounds this API runs with (lib/config.ts VOXFLOW_EXPORT_*): one thread, one waiting.
const EXPORT_ENV = { VOXFLOW_EXPORT_THREADS: '1', VOXFLOW_EXPORT_QUEUE: '1', VOXFLOW_EXPORT_TIMEOUT_MS: '20000', VOXFLOW_EXPORT_MAX_SEGMENTS: '4000' };

let stack: Stack;
let api: ChildProcess;
let baseUrl: string;
const apis: ChildProcess[] = [];
let auth: Record<string, string>;
const jobs: Record<'meeting' | 'long', { id: string; transcriptKey: string }> = {} as never;
const threeHours = longTranscript(3);
const url = (p: string) => `${baseUrl}${p}`;
/**
 * The longest event-loop stall allowed while an export of `tookMs` was in flight. A render on the loop
 * stalls it for about the whole render, so half of it (at least 150 ms) still catches one; a fixed 150 ms
 * failed on a loaded 2-core CI from GC and scheduling alone (200–380 ms stalls beside 3 s renders).
 */
const loopBound = (tookMs: number) => Math.max(150, tookMs / 2);

beforeAll(async () => {
  stack = await startStack(config);
  const account = await stack.ledger.createAccount({ tenant: `t-${Math.random()}`, plan: 'paid', credits: 10 });
  auth = { Authorization: `Bearer ${(await new ApiKeys(stack.db).create(account.id, 'test')).key}` };
  // Jobs as existing data may hold them: one with an ordinary name, one with a 200,000-character
  // name (uploads refuse such names now; documents must still be safe from older jobs).
  await Promise.all(
    (
      [
        ['meeting', 'meeting.wav'],
        ['long', LONG_NAME],
      ] as const
    ).map(async ([which, filename]) => {
      const { jobId, handle } = await startJob(stack.client, config, stack.store, jfk().wav, 'transcribe', account.tenant, { filename });
      const result = (await handle.result()) as JobResult;
      const transcriptKey = result.outputs.find((o) => o.kind === 'transcript')!.key;
      await putTranscript(transcriptKey, threeHours);
      jobs[which] = { id: jobId, transcriptKey };
    }),
  );
  ({ api, baseUrl } = await startApi(EXPORT_ENV));
}, 240_000);

afterAll(async () => {
  for (const child of apis) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  await stack?.stop();
});

/** The real API entrypoint as its own process, on a free port, with these export settings. */
async function startApi(env: Record<string, string>): Promise<{ api: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const preload = path.join(root, 'test', 'helpers', 'loop-delay-preload.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, path.join(root, 'api', 'server.ts')], {
    cwd: root,
    env: { ...process.env, ...envFor(config), VOXFLOW_HOST: '127.0.0.1', VOXFLOW_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apis.push(child);
  let log = '';
  for (const s of [child.stdout!, child.stderr!]) s.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => {
    for (const m of c.toString().matchAll(/event-loop-delay-max-ms=([\d.]+)/g)) loopReports.get(child)?.(Number(m[1]));
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}:\n${log}`);
    if (await fetch(`${base}/v1/languages`).then((r) => r.ok, () => false)) return { api: child, baseUrl: base };
    if (Date.now() > deadline) throw new Error(`API did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function putTranscript(key: string, t: Transcript) {
  await stack.store.put(key, Buffer.from(JSON.stringify(t)), { contentType: 'application/json' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * CPU time the API process's main thread (the event loop; its task id is the pid) has used, in ms,
 * from /proc: unlike wall-clock delays, this does not grow when other processes share the CPUs.
 */
function mainThreadCpuMs(child: ChildProcess): number {
  const stat = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime + stime
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const loopReports = new Map<ChildProcess, (ms: number) => void>();
/** The worst event-loop delay the API process measured on itself since the last call (test/helpers/loop-delay-preload.ts). */
function loopDelayMax(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    // A blocked event loop cannot even run the signal handler.
    const timer = setTimeout(() => reject(new Error('the API did not report its event-loop delay within 10 s (blocked?)')), 10_000);
    loopReports.set(child, (ms) => {
      clearTimeout(timer);
      resolve(ms);
    });
    child.kill('SIGUSR2');
  });
}

/**
 * Export one document while timing a cheap request to the same API back to back: the API's own
 * worst event-loop delay during the export, and the slowest answer a client saw meanwhile.
 */
async function exportWhileProbing(id: string, format: 'pdf' | 'docx', base = baseUrl, child = api, probe = true) {
  await loopDelayMax(child); // starts the window
  const cpu0 = mainThreadCpuMs(child);
  let done = false;
  const started = Date.now();
  const exported = fetch(`${base}/api/v1/transcripts/${id}/export/${format}`, { headers: auth, signal: AbortSignal.timeout(60_000) })
    .then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()), ms: Date.now() - started }))
    .finally(() => (done = true));
  exported.catch(() => undefined);
  const latencies: number[] = [];
  while (probe && !done) {
    const t0 = performance.now();
    const ok = await fetch(`${base}/v1/languages`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
    latencies.push(ok ? performance.now() - t0 : 5000);
    await new Promise((r) => setTimeout(r, 50));
  }
  const result = await exported; // (without probes: the export alone)
  const cpuMs = mainThreadCpuMs(child) - cpu0;
  return { ...result, latencies, cpuMs, loopMaxMs: await loopDelayMax(child) };
}

const pdfText = (pdf: Buffer, name: string) => {
  const file = path.join(config.dataDir, name);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 }).toString('utf8');
};
const docxXml = (docx: Buffer, name: string) => {
  const file = path.join(config.dataDir, name);
  fs.writeFileSync(file, docx);
  return execFileSync('unzip', ['-p', file, 'word/document.xml'], { maxBuffer: 64 << 20 }).toString('utf8');
};
const headings = (text: string) => (text.match(/\[\d\d:\d\d(:\d\d)?\] Speaker \d/g) ?? []).length;
const last = threeHours.segments.at(-1)!;

it('exports a 3-hour transcript (~2,500 segments) as PDF and DOCX within 30 s each, complete and readable', async () => {
  expect(threeHours.segments.length).toBeGreaterThan(2300);
  const pdf = await exportWhileProbing(jobs.meeting.id, 'pdf');
  expect(pdf.status).toBe(200);
  expect(pdf.type).toBe('application/pdf');
  expect(pdf.ms).toBeLessThan(30_000);
  const text = pdfText(pdf.body, 'meeting.pdf');
  expect(text).toContain('Transcript: meeting.wav');
  expect(text).toContain('Duration: 03:00:00');
  expect(text.replace(/\s+/g, ' ')).toContain(`${last.speaker} ${last.text.trim()}`);
  expect(headings(text)).toBe(threeHours.segments.length);

  const docx = await exportWhileProbing(jobs.meeting.id, 'docx');
  expect(docx.status).toBe(200);
  expect(docx.ms).toBeLessThan(30_000);
  const xml = docxXml(docx.body, 'meeting.docx');
  expect(xml).toContain('Transcript: meeting.wav');
  expect(xml).toContain(last.text.trim());
  expect(headings(xml)).toBe(threeHours.segments.length);
  // Max latency of a cheap request while each export ran (logged for the report, asserted below too).
  console.log(`3-hour export: pdf ${pdf.ms} ms (event loop max ${pdf.loopMaxMs} ms, main-thread CPU ${pdf.cpuMs} ms, slowest probe ${Math.round(Math.max(...pdf.latencies))} ms), docx ${docx.ms} ms (event loop max ${docx.loopMaxMs} ms, main-thread CPU ${docx.cpuMs} ms, slowest probe ${Math.round(Math.max(...docx.latencies))} ms)`);
}, 120_000);

it('exports the same 3-hour transcript as srt, vtt, txt, csv (rendered off the event loop) and json (streamed as stored), identical to the formats library', async () => {
  for (const format of ['srt', 'vtt', 'txt', 'csv'] as const) {
    await loopDelayMax(api);
    const started = Date.now();
    const r = await fetch(url(`/api/v1/transcripts/${jobs.meeting.id}/export/${format}`), { headers: auth });
    const body = await r.text();
    const took = Date.now() - started;
    const loopMaxMs = await loopDelayMax(api);
    expect(r.status).toBe(200);
    expect(body).toBe(format === 'csv' ? toCsv(threeHours) : render(threeHours, format));
    expect(loopMaxMs).toBeLessThan(loopBound(took));
  }
  const r = await fetch(url(`/api/v1/transcripts/${jobs.meeting.id}/export/json`), { headers: auth });
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await r.json()).toEqual(threeHours);
}, 60_000);

it('stays responsive (event loop never stalled for the render, no request slowed) while it renders a 3-hour transcript titled with a 200,000-character filename, and answers with the title cut', async () => {
  for (const format of ['pdf', 'docx'] as const) {
    // The export alone: CPU its request used on the event loop (not the render thread), however busy the machine.
    const alone = await exportWhileProbing(jobs.long.id, format, baseUrl, api, false);
    console.log(`200k-char title, 3-hour ${format} alone: ${alone.ms} ms, main-thread CPU ${alone.cpuMs} ms`);
    expect(alone.status).toBe(200);
    expect(alone.cpuMs).toBeLessThan(150);
    const r = await exportWhileProbing(jobs.long.id, format);
    console.log(`200k-char title, 3-hour ${format}: ${r.ms} ms, event loop max ${r.loopMaxMs} ms, main-thread CPU ${r.cpuMs} ms, ${r.latencies.length} probes, slowest ${Math.round(Math.max(...r.latencies))} ms`);
    expect(r.status).toBe(200);
    expect(r.loopMaxMs).toBeLessThan(loopBound(r.ms));
    // Probes ran while the export was in flight (a quick machine renders this in ~200 ms: 3–5 probes).
    expect(r.latencies.length).toBeGreaterThanOrEqual(2);
    // What a client sees: on a machine shared with other tests a probe can wait for a CPU, but none waits on the export.
    expect(Math.max(...r.latencies)).toBeLessThan(1000);
    const cut = `Transcript: ${'x'.repeat(MAX_TITLE_CHARS - 'Transcript: '.length - 1)}…`;
    if (format === 'pdf') {
      const text = pdfText(r.body, 'long.pdf');
      expect(text.slice(0, text.indexOf('Language:')).replace(/\s+/g, '')).toBe(cut.replace(/\s+/g, ''));
      expect(headings(text)).toBe(threeHours.segments.length);
    } else {
      const xml = docxXml(r.body, 'long.docx');
      expect(xml).toContain(cut);
      expect(xml).not.toContain('x'.repeat(MAX_TITLE_CHARS));
    }
  }
  expect(api.exitCode).toBeNull(); // the process lived through it
  expect((await fetch(url('/v1/languages'))).status).toBe(200);
}, 150_000);

it('queues exports beyond its threads, then answers 503 with Retry-After (JSON) instead of piling up work', async () => {
  const rs = await Promise.all([1, 2, 3].map(() => fetch(url(`/api/v1/transcripts/${jobs.meeting.id}/export/pdf`), { headers: auth })));
  const statuses = rs.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 200, 503]);
  const busy = rs.find((r) => r.status === 503)!;
  expect(busy.headers.get('retry-after')).toBe('5');
  expect((await json(busy)).error).toMatch(/Too many exports in progress/);
}, 120_000);

it('refuses a transcript over the size bound with 413 JSON', async () => {
  try {
    await putTranscript(jobs.meeting.transcriptKey, longTranscript(6)); // ~5,000 segments > VOXFLOW_EXPORT_MAX_SEGMENTS
    const big = await fetch(url(`/api/v1/transcripts/${jobs.meeting.id}/export/docx`), { headers: auth });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-disposition')).toBeNull();
    expect((await json(big)).error).toMatch(/segments; docx exports are limited to 4000\. Export json, txt, srt or vtt instead/);
  } finally {
    await putTranscript(jobs.meeting.transcriptKey, threeHours);
  }
}, 60_000);

it('stops a render past its deadline with 504 JSON, stays responsive meanwhile, and serves the next export', async () => {
  // Its own API with a 3 s deadline; the transcript is within its size bounds but takes ~13 s to lay
  // out on a quiet machine (far past the deadline however fast the machine is).
  const { api: strictApi, baseUrl: strict } = await startApi({ VOXFLOW_EXPORT_TIMEOUT_MS: '3000', VOXFLOW_EXPORT_MAX_SEGMENTS: '12000', VOXFLOW_EXPORT_MAX_CHARS: '12000000' });
  const tiny = { ...threeHours, segments: threeHours.segments.slice(0, 20) };
  try {
    // A first export warms the new process (its first requests compile and connect), outside the window measured.
    await putTranscript(jobs.meeting.transcriptKey, tiny);
    expect((await fetch(`${strict}/api/v1/transcripts/${jobs.meeting.id}/export/pdf`, { headers: auth })).status).toBe(200);
    await putTranscript(jobs.meeting.transcriptKey, slowTranscript(10_000));
    const r = await exportWhileProbing(jobs.meeting.id, 'pdf', strict, strictApi);
    console.log(`deadline: 504 after ${r.ms} ms, event loop max ${r.loopMaxMs} ms, main-thread CPU ${r.cpuMs} ms, ${r.latencies.length} probes, slowest ${Math.round(Math.max(...r.latencies))} ms`);
    expect(r.status).toBe(504);
    expect(r.ms).toBeLessThan(5000);
    expect(JSON.parse(r.body.toString())).toEqual({ error: expect.stringMatching(/took longer than 3 s and was stopped/), code: 'export_timeout' });
    expect(r.loopMaxMs).toBeLessThan(loopBound(r.ms));
    expect(Math.max(...r.latencies)).toBeLessThan(1000);
    await putTranscript(jobs.meeting.transcriptKey, tiny);
    const again = await fetch(`${strict}/api/v1/transcripts/${jobs.meeting.id}/export/pdf`, { headers: auth });
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  } finally {
    await putTranscript(jobs.meeting.transcriptKey, threeHours);
  }
}, 120_000);
