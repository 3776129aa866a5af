/**
 * A hostile client against a running voxflow (loopback only): malformed, oversized, stalled and
 * contradictory requests of the kinds issue #9 found, plus variants. Prints one line per probe and
 * a summary; exits 1 on any 5xx (other than 503 during a deliberate outage), hang, or leak.
 *
 *   node --import tsx scripts/hostile-probe.ts [--base http://127.0.0.1:8080] [--key vf_…]
 *        [--pid <API pid>] [--store <local object store dir>]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const base = new URL(args.get('base') ?? 'http://127.0.0.1:8080');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error('the probe only targets this machine');
const key = args.get('key');
const apiPid = args.get('pid') ? Number(args.get('pid')) : undefined;
const storeDir = args.get('store');

interface Outcome {
  name: string;
  status: number | 'none';
  ms: number;
  ok: boolean;
  note?: string;
}
const outcomes: Outcome[] = [];

/** Sends raw bytes (optionally in pieces, with pauses), returns the status line's code and time. */
function raw(parts: Array<string | Buffer | number>, timeoutMs = 15_000): Promise<{ status: number | 'none'; ms: number; body: string }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect(Number(base.port || 80), base.hostname.replace(/^\[|\]$/g, ''));
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 'none', ms: Date.now() - t0, body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (d) => {
      text += d.toString('latin1');
      if (/\r\n\r\n/.test(text) && !/transfer-encoding: chunked/i.test(text.split('\r\n\r\n')[0])) {
        const len = /content-length: (\d+)/i.exec(text)?.[1];
        if (len && Buffer.byteLength(text.split('\r\n\r\n').slice(1).join('\r\n\r\n'), 'latin1') >= Number(len)) finish();
      }
    });
    sock.on('close', finish);
    sock.on('error', finish);
    sock.on('connect', async () => {
      for (const p of parts) {
        if (done) return;
        if (typeof p === 'number') await new Promise((r) => setTimeout(r, p));
        else if (!sock.write(p)) await new Promise((r) => sock.once('drain', r));
      }
    });
  });
}

const CRLF = '\r\n';
const authHeader = key ? `Authorization: Bearer ${key}${CRLF}` : '';
function multipart(fields: Array<{ name: string; filename?: string; body: string | Buffer }>, boundary = 'probeBoundary'): Buffer {
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const disp = `Content-Disposition: form-data; name="${f.name}"${f.filename !== undefined ? `; filename="${f.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}${CRLF}${disp}${CRLF}${f.filename !== undefined ? `Content-Type: application/octet-stream${CRLF}` : ''}${CRLF}`));
    chunks.push(Buffer.isBuffer(f.body) ? f.body : Buffer.from(f.body));
    chunks.push(Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}
function post(pathname: string, body: Buffer, extraHeaders = '', contentType = 'multipart/form-data; boundary=probeBoundary'): string {
  return `POST ${pathname} HTTP/1.1${CRLF}Host: probe${CRLF}${authHeader}${extraHeaders}Content-Type: ${contentType}${CRLF}Content-Length: ${body.length}${CRLF}Connection: close${CRLF}${CRLF}`;
}

async function probe(name: string, run: () => Promise<{ status: number | 'none'; ms: number; body?: string }>, expect: (s: number) => boolean, maxMs = 5000) {
  const r = await run();
  const ok = r.status !== 'none' && expect(r.status) && r.ms <= maxMs && !(r.status >= 500 && r.status !== 503);
  let note: string | undefined;
  if (r.body !== undefined && r.status !== 'none' && r.status >= 400) {
    try {
      const parsed = JSON.parse(r.body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, ''));
      if (typeof parsed.error !== 'string') note = 'error body without "error"';
      else if (parsed.error.length > 400) note = `error echoes ${parsed.error.length} chars`;
    } catch {
      note = 'non-JSON error body';
    }
  }
  outcomes.push({ name, status: r.status, ms: r.ms, ok: ok && !note, note });
  console.log(`${ok && !note ? 'ok  ' : 'FAIL'} ${String(r.status).padEnd(4)} ${String(r.ms).padStart(6)} ms  ${name}${note ? `  (${note})` : ''}`);
}

function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}
function tempFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tmp|\.part/.test(String(f)) && fs.statSync(path.join(dir, String(f))).isFile()).length;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-probe-'));
  const wav = path.join(tmp, 'tone.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-ar', '16000', '-ac', '1', wav]);
  const audio = fs.readFileSync(wav);
  const fdBefore = apiPid ? fdCount(apiPid) : undefined;
  const tmpBefore = storeDir ? tempFiles(storeDir) : undefined;

  const is4xx = (s: number) => s >= 400 && s < 500;
  const upload = (body: Buffer, extra = '') => raw([post('/v1/transcribe', body, extra), body]);

  await probe('filename of 200,000 characters', () => upload(multipart([{ name: 'file', filename: 'a'.repeat(200_000) + '.wav', body: audio }])), is4xx);
  await probe('filename of 3,000,000 characters', () => upload(multipart([{ name: 'file', filename: 'b'.repeat(3_000_000) + '.wav', body: audio }])), is4xx);
  await probe('file first, then 1,001 text fields', () => upload(multipart([{ name: 'file', filename: 'x.wav', body: audio }, ...Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, body: 'v' }))])), is4xx);
  await probe('1,001 text fields, then the file', () => upload(multipart([...Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, body: 'v' })), { name: 'file', filename: 'x.wav', body: audio }])), is4xx);
  await probe('two file parts', () => upload(multipart([{ name: 'file', filename: 'x.wav', body: audio }, { name: 'file', filename: 'y.wav', body: audio }])), is4xx);
  await probe('a 2 MB language value', () => upload(multipart([{ name: 'language', body: 'x'.repeat(2_000_000) }, { name: 'file', filename: 'x.wav', body: audio }])), is4xx);
  await probe('multipart without a file', () => upload(multipart([{ name: 'language', body: 'en' }])), (s) => s === 400);
  await probe('multipart cut off mid-file', () => {
    const body = multipart([{ name: 'file', filename: 'x.wav', body: audio }]);
    return raw([post('/v1/transcribe', body), body.subarray(0, body.length / 2)], 45_000).then((r) => {
      // The client closed its side only implicitly (timeout): the server must answer or close.
      return r;
    });
  }, (s) => s === 408 || s === 400, 60_000);
  await probe('no boundary in the content type', () => raw([post('/v1/transcribe', Buffer.from('junk'), '', 'multipart/form-data'), 'junk']), is4xx);
  await probe('an Idempotency-Key of 10,000 characters', () => upload(multipart([{ name: 'file', filename: 'x.wav', body: audio }]), `Idempotency-Key: ${'k'.repeat(10_000)}${CRLF}`), is4xx);
  await probe('100 KB of headers', () => raw([`GET /health HTTP/1.1${CRLF}Host: probe${CRLF}X-Big: ${'h'.repeat(100_000)}${CRLF}${CRLF}`]), is4xx);
  await probe('not HTTP at all', () => raw(['\x16\x03\x01 definitely not http\r\n\r\n']), is4xx);
  await probe('X-Forwarded-For that is not an IP', () => raw([`GET /v1/models HTTP/1.1${CRLF}Host: probe${CRLF}X-Forwarded-For: ' OR 1=1 --${CRLF}Connection: close${CRLF}${CRLF}`]), (s) => s < 500);
  await probe('a path of 100,000 characters', () => raw([`GET /v1/${'p'.repeat(100_000)} HTTP/1.1${CRLF}Host: probe${CRLF}Connection: close${CRLF}${CRLF}`]), is4xx);
  await probe('PUT /v1/models (405 as JSON)', () => raw([`PUT /v1/models HTTP/1.1${CRLF}Host: probe${CRLF}Content-Length: 0${CRLF}Connection: close${CRLF}${CRLF}`]), (s) => s === 405);
  await probe('GET /v1/jobs/<guessed id>', () => raw([`GET /v1/jobs/job_00000000000000000000000000000000 HTTP/1.1${CRLF}Host: probe${CRLF}Connection: close${CRLF}${CRLF}`]), (s) => s === 404);
  await probe('cancel a job that does not exist', () => raw([`POST /v1/jobs/job_00000000000000000000000000000000/cancel HTTP/1.1${CRLF}Host: probe${CRLF}Content-Length: 0${CRLF}Connection: close${CRLF}${CRLF}`]), (s) => s === 404);
  if (key) {
    const get = (p: string) => raw([`GET ${p} HTTP/1.1${CRLF}Host: probe${CRLF}${authHeader}Connection: close${CRLF}${CRLF}`]);
    await probe('malformed page_token', () => get('/api/v1/transcripts/?page_token=%FF%FE!!garbage'), (s) => s === 400);
    await probe('since in the year 275760', () => get('/api/v1/transcripts/?since=%2B275760-09-13T00:00:00Z'), (s) => s === 400);
    await probe('since of 1e20', () => get('/api/v1/transcripts/?since=100000000000000000000'), (s) => s === 400);
    const json = (method: string, p: string, body: string, type = 'application/json') =>
      raw([`${method} ${p} HTTP/1.1${CRLF}Host: probe${CRLF}${authHeader}Content-Type: ${type}${CRLF}Content-Length: ${Buffer.byteLength(body)}${CRLF}Connection: close${CRLF}${CRLF}${body}`]);
    await probe('POST /api/v1/keys with 100 KB of JSON', () => json('POST', '/api/v1/keys/', JSON.stringify({ name: 'n'.repeat(100_000) })), (s) => s === 413);
    await probe('POST /api/v1/keys with unknown fields', () => json('POST', '/api/v1/keys/', '{"admin": true}'), (s) => s === 400);
    await probe('PUT /api/v1/account as XML', () => json('PUT', '/api/v1/account/', '<a/>', 'application/xml'), (s) => s === 415);
    await probe('PUT /api/v1/account with broken JSON', () => json('PUT', '/api/v1/account/', '{"email":'), (s) => s === 400);
    await probe('a WAV named "blob" (format by content)', () => upload(multipart([{ name: 'file', filename: 'blob', body: audio }, { name: 'diarize', body: 'false' }])), (s) => s === 200, 120_000);
  }
  // Twenty clients that send half a body and go quiet: the service keeps answering others meanwhile.
  const lorises = Array.from({ length: 20 }, () => {
    const body = multipart([{ name: 'file', filename: 'x.wav', body: audio }]);
    return raw([post('/v1/enhance-audio', body), body.subarray(0, 100), 120_000], 125_000);
  });
  await new Promise((r) => setTimeout(r, 1000));
  await probe('GET /health while 20 stalled uploads are open', () => raw([`GET /health HTTP/1.1${CRLF}Host: probe${CRLF}Connection: close${CRLF}${CRLF}`]), (s) => s === 200 || s === 503, 1000);
  const stalledResults = await Promise.all(lorises);
  const stalled408 = stalledResults.filter((r) => r.status === 408 || r.status === 429).length;
  outcomes.push({ name: '20 stalled uploads answered 408/429 and closed', status: stalled408 === 20 ? 408 : 'none', ms: Math.max(...stalledResults.map((r) => r.ms)), ok: stalled408 === 20 });
  console.log(`${stalled408 === 20 ? 'ok  ' : 'FAIL'} 408  ${String(Math.max(...stalledResults.map((r) => r.ms))).padStart(6)} ms  20 stalled uploads answered (${stalled408}/20 got 408 or 429)`);

  await new Promise((r) => setTimeout(r, 3000));
  if (apiPid && fdBefore !== undefined) {
    const after = fdCount(apiPid);
    const ok = after <= fdBefore + 5;
    outcomes.push({ name: 'API file descriptors', status: after, ms: 0, ok, note: `${fdBefore} → ${after}` });
    console.log(`${ok ? 'ok  ' : 'FAIL'} fds  ${fdBefore} → ${after}`);
  }
  if (storeDir && tmpBefore !== undefined) {
    const after = tempFiles(storeDir);
    const ok = after <= tmpBefore;
    outcomes.push({ name: 'temp files in the store', status: after, ms: 0, ok, note: `${tmpBefore} → ${after}` });
    console.log(`${ok ? 'ok  ' : 'FAIL'} tmp  ${tmpBefore} → ${after}`);
  }
  const failed = outcomes.filter((o) => !o.ok);
  console.log(`\nhostile probe: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
