/**
 * The upload path under hostile bodies (issue #9 findings 1, 6, 9 and #10's format by content):
 * every limit answers at once whatever the order of the parts, a stalled body gets 408, and a
 * rejected request gives back everything (storage write, temp file, descriptor, concurrency slot).
 * Bodies are sent over raw sockets where no real client would send them.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';
import { multipartBody, rawRequest, type FormPart } from '../helpers/raw-http';
import { encodeAs } from '../helpers/media';
import { createStore } from '../../lib/storage';

const IDLE_MS = 1000;
const config = testConfig({
  VOXFLOW_ANON_JOBS_PER_DAY: '1000',
  VOXFLOW_ANON_CONCURRENT: '1',
  VOXFLOW_MAX_UPLOAD_MB: '2',
  VOXFLOW_UPLOAD_IDLE_MS: String(IDLE_MS),
  VOXFLOW_SYNC_WAIT_MS: '60000',
});
let stack: Stack;
let dir: string;
let wav: Buffer;
let webm: Buffer;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, 'tone.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1.5:r=16000', src]);
  wav = fs.readFileSync(src);
  webm = fs.readFileSync(encodeAs(src, 'webm', dir));
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
const BOUNDARY = 'hardening-boundary';
const multipart = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };

const objectsDir = () => path.join(config.dataDir, 'objects');
const tmpFiles = () => fs.readdirSync(path.join(objectsDir(), '.tmp'));
function uploads(): number {
  const root = path.join(objectsDir(), 'uploads');
  if (!fs.existsSync(root)) return 0;
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.meta.json')).length;
}
const slots = async () => Number((await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_slots'))?.n ?? 0);
const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;

const fields = (n: number, prefix = 'f'): FormPart[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, data: 'x' }));
const filePart = (data: Buffer = wav, filename = 'clip.wav'): FormPart => ({ name: 'file', filename, contentType: 'audio/wav', data });

/** After a rejection: nothing stored, nothing half-written, no slot held. */
async function expectReleased(before: number) {
  expect(tmpFiles()).toEqual([]);
  expect(uploads()).toBe(before);
  expect(await slots()).toBe(0);
}


/** 100 KB of a file declared as 500 KB, then silence: 408 once the idle timer runs out, and the connection closed. */
async function expectStalledUploadClosed(baseUrl: string): Promise<void> {
  const stalled = await rawRequest(baseUrl, {
    path: '/v1/enhance-audio',
    headers: multipart,
    body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(100_000, 9))], { close: false }), null],
    contentLength: 500_000,
    timeoutMs: IDLE_MS + 5000,
  });
  expect(stalled.status).toBe(408);
  await stalled.closed(2000);
}

describe('multipart limits answer at once, in any order of parts, and release everything', () => {
  it('the file first, then 1,001 text fields: 413 too_many_fields within a moment', async () => {
    const before = uploads();
    const res = await rawRequest(stack.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: multipart,
      body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(600_000, 3)), ...fields(1001)])],
    });
    expect(res.status).toBe(413);
    expect(res.ms).toBeLessThan(3000);
    const body = JSON.parse(res.body);
    expect(body.code).toBe('too_many_fields');
    expect(body.error).toMatch(/too many fields: at most 32/);
    expect(body.error).not.toMatch(/larger than|MB/);
    res.socket.destroy();
    await expectReleased(before);
  });

  it('1,001 text fields before the file: the same answer', async () => {
    const before = uploads();
    const res = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [...fields(1001), filePart()])] });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).code).toBe('too_many_fields');
    res.socket.destroy();
    await expectReleased(before);
  });

  it('two file parts: 400 that says so (not "file larger than …")', async () => {
    const before = uploads();
    const res = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(), filePart()])] });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ code: 'multiple_files' });
    expect(body.error).toMatch(/more than one `file` part/);
    res.socket.destroy();
    await expectReleased(before);
  });

  it('a 2 MB parameter value: 413 naming the field, the value never echoed', async () => {
    const before = uploads();
    const res = await rawRequest(stack.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: multipart,
      body: [multipartBody(BOUNDARY, [filePart(), { name: 'language', data: 'q'.repeat(2 * 1024 * 1024) }])],
    });
    expect(res.status).toBe(413);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ code: 'field_too_large', param: 'language' });
    expect(res.body.length).toBeLessThan(400);
    expect(res.body).not.toContain('qqqqqqqqqq');
    res.socket.destroy();
    await expectReleased(before);
  });

  it('a 200,000-character file name: 400 saying names are bounded; a 300-byte name: 400 filename_too_long', async () => {
    const before = uploads();
    const huge = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(wav, `${'n'.repeat(200_000)}.wav`)])] });
    expect(huge.status).toBe(400);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 'part_headers_too_large' });
    expect(JSON.parse(huge.body).error).toMatch(/File names may be at most 255 bytes/);
    expect(huge.body.length).toBeLessThan(400);
    huge.socket.destroy();

    const long = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(wav, `${'é'.repeat(148)}.wav`)])] });
    expect(long.status).toBe(400);
    expect(JSON.parse(long.body)).toMatchObject({ code: 'filename_too_long' });
    expect(JSON.parse(long.body).error).toMatch(/300 bytes long; at most 255 bytes/);
    long.socket.destroy();
    await expectReleased(before);
  });

  it('a truncated body: 400 in our words (no parser internals); no file at all: missing_file', async () => {
    const before = uploads();
    const cut = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart()], { close: false })] });
    expect(cut.status).toBe(400);
    expect(JSON.parse(cut.body)).toMatchObject({ code: 'incomplete_body', error: expect.stringMatching(/^The multipart body ended before it was complete/) });
    expect(cut.body).not.toMatch(/MultipartParser|state =|stream ended unexpectedly/);
    cut.socket.destroy();

    const onlyFields = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [{ name: 'language', data: 'en' }])] });
    expect(onlyFields.status).toBe(400);
    expect(JSON.parse(onlyFields.body)).toMatchObject({ code: 'missing_file', error: expect.stringMatching(/^No file was received/) });
    onlyFields.socket.destroy();

    const empty = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [] });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body)).toMatchObject({ code: 'missing_file', error: expect.stringMatching(/^No file was received/) });
    expect(empty.body).not.toMatch(/MultipartParser/);
    empty.socket.destroy();
    await expectReleased(before);
  });

  it('a multipart Content-Type without a usable boundary: 400 saying so', async () => {
    for (const type of ['multipart/form-data', `multipart/form-data; boundary=${'b'.repeat(300)}`]) {
      const res = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: { 'Content-Type': type }, body: [multipartBody(BOUNDARY, [filePart()])] });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'malformed_body', error: expect.stringMatching(/no usable boundary/) });
      res.socket.destroy();
    }
  });

  it('a body that stalls: 408 after the idle time, connection closed, everything released', async () => {
    const before = uploads();
    const head = multipartBody(BOUNDARY, [filePart(Buffer.alloc(200_000, 5))], { close: false });
    const res = await rawRequest(stack.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: multipart,
      body: [head.subarray(0, 150_000), null],
      contentLength: head.length + 1000,
      timeoutMs: IDLE_MS + 5000,
    });
    expect(res.status).toBe(408);
    expect(res.ms).toBeGreaterThanOrEqual(IDLE_MS);
    expect(res.ms).toBeLessThan(IDLE_MS + 3000);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'body_stalled' });
    await res.closed(2000); // the server does not keep a stalled connection
    await expectReleased(before);
  });

  it('a client that disconnects mid-file leaves nothing behind', async () => {
    const before = uploads();
    const { port } = new URL(stack.baseUrl!);
    const body = multipartBody(BOUNDARY, [filePart(Buffer.alloc(1024 * 1024, 6))]);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /v1/enhance-audio HTTP/1.1\r\nHost: x\r\nContent-Type: ${multipart['Content-Type']}\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, 400_000));
    await new Promise((r) => setTimeout(r, 300));
    expect(tmpFiles()).toHaveLength(1); // the write is under way
    socket.destroy();
    const deadline = Date.now() + 3000;
    while ((tmpFiles().length || (await slots())) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await expectReleased(before);
  });

  it('leaks no descriptor, temp file or slot over many rejected uploads', async () => {
    const before = uploads();
    // Warm up lazily opened handles (database, storage) before counting.
    const warm = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(), ...fields(40)])] });
    warm.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const fds = openDescriptors();
    for (let i = 0; i < 5; i++) {
      const a = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(300_000, 1)), ...fields(1001)])] });
      a.socket.destroy();
      const b = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart()], { close: false })] });
      b.socket.destroy();
      const c = await rawRequest(stack.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(), filePart()])] });
      c.socket.destroy();
    }
    // One after the other: the anonymous tier has one slot, and each stalled body holds it until its 408.
    for (let i = 0; i < 3; i++) {
      await expectStalledUploadClosed(stack.baseUrl!);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(openDescriptors()).toBeLessThanOrEqual(fds + 2);
    await expectReleased(before);
    // And the slot is really free: a good upload is admitted (anonymous tier: one concurrent job).
    const fd = new FormData();
    fd.append('file', new Blob([wav]), 'ok.wav');
    const ok = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: fd });
    expect(ok.status).toBe(200);
  });
});

describe('a refused upload does not keep its connection', () => {
  it('a 401 on a 500 MB upload is answered at once and the connection cut after a bounded drain', async () => {
    const res = await rawRequest(stack.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: { ...multipart, Authorization: 'Bearer vf_not-a-key' },
      body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(1024 * 1024, 4))], { close: false })],
      contentLength: 500 * 1024 * 1024,
    });
    expect(res.status).toBe(401);
    // The client goes on sending; the server reads a little of it (so the answer is seen), then closes.
    const feeder = setInterval(() => res.socket.writable && res.socket.write(Buffer.alloc(512 * 1024, 4)), 50);
    try {
      await res.closed(3500);
    } finally {
      clearInterval(feeder);
    }
  });
});

describe('file names and formats', () => {
  it('a file name is cleaned (path, control characters) before it reaches the job', async () => {
    const res = await rawRequest(stack.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: { ...multipart, Prefer: 'respond-async' },
      body: [multipartBody(BOUNDARY, [filePart(wav, '..\\..\\secret/dir/ev\u0007il\u202ename.wav')])],
    });
    expect(res.status).toBe(202);
    const { id } = JSON.parse(res.body);
    res.socket.destroy();
    const desc = await stack.client.workflow.getHandle(id).describe();
    expect(desc.memo?.filename).toBe('evilname.wav');
    await stack.client.workflow.getHandle(id).result();
  });

  it.each([
    ['a WAV named blob (a browser MediaRecorder Blob)', () => wav, 'blob'],
    ['a WebM named clip.bin', () => webm, 'clip.bin'],
    ['a WebM whose name says WAV', () => webm, 'recording.wav'],
  ])('format by content: %s is accepted and processed', async (_what, data, name) => {
    const fd = new FormData();
    fd.append('file', new Blob([data()]), name);
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const out = Buffer.from(await res.arrayBuffer());
    expect(out.subarray(0, 4).toString()).toBe('RIFF');
  });

  it('content ffprobe cannot read is still refused, whatever the name', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([Buffer.from('just some text, not audio '.repeat(50))]), 'blob');
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: fd });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ type: 'InvalidMedia', code: 'not_media' });
  });
});

describe('storage that stops taking data', () => {
  let stuck: Stack;
  const aborted: string[] = [];
  beforeAll(async () => {
    // Real local storage, except that upload writes accept a little and then never drain.
    const inner = createStore(config);
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'openWrite') {
          return (key: string) => {
            const stream = new Writable({ highWaterMark: 16 * 1024, write() {} }); // never calls back
            return {
              stream,
              done: new Promise<never>(() => undefined),
              abort: async () => {
                aborted.push(key);
                stream.destroy();
              },
            };
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    stuck = await startStack(config, { api: true, roles: [], store });
  });
  afterAll(() => stuck?.stop());

  it('fails the upload with 503 after the stall bound, aborts the write and frees the slot', async () => {
    const slotsBefore = await slots();
    const res = await rawRequest(stuck.baseUrl!, {
      path: '/v1/enhance-audio',
      headers: multipart,
      body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(1024 * 1024, 2))])],
      timeoutMs: 20_000,
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'storage_stalled' });
    expect(res.ms).toBeGreaterThanOrEqual(10_000);
    expect(aborted).toHaveLength(1);
    res.socket.destroy();
    expect(await slots()).toBe(slotsBefore);
  }, 30_000);
});

describe('on MinIO too, a rejected upload leaves no object and no slot', () => {
  const minioConfig = testConfig({ VOXFLOW_STORAGE: 'minio', VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: '1', VOXFLOW_UPLOAD_IDLE_MS: String(IDLE_MS) });
  let minio: Stack;
  beforeAll(async () => {
    minio = await startStack(minioConfig, { api: true, roles: [] });
  });
  afterAll(() => minio?.stop());

  const objects = async () => {
    const keys: string[] = [];
    for await (const o of minio.store.list('uploads/')) keys.push(o.key);
    return keys;
  };
  const minioSlots = async () => Number((await minio.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_slots'))?.n ?? 0);

  it('the file first then 1,001 fields (413), and a stalled body (408)', async () => {
    const many = await rawRequest(minio.baseUrl!, { path: '/v1/enhance-audio', headers: multipart, body: [multipartBody(BOUNDARY, [filePart(Buffer.alloc(300_000, 3)), ...fields(1001)])] });
    expect(many.status).toBe(413);
    many.socket.destroy();
    await expectStalledUploadClosed(minio.baseUrl!);
    expect(await objects()).toEqual([]);
    expect(await minioSlots()).toBe(0);
  });

  it('a good upload named blob streams whole into the bucket, stored as .bin (the probe reads its content)', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([wav]), 'blob');
    const started = Date.now();
    const res = await fetch(`${minio.baseUrl}/v1/enhance-audio`, { method: 'POST', headers: { Prefer: 'respond-async' }, body: fd });
    expect(res.status).toBe(202);
    // No workflow worker to answer the view's query: the 202 does not wait for one, and says queued.
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await json(res.clone())).status).toBe('queued');
    const [key] = await objects();
    expect(key).toMatch(/^uploads\/[0-9a-f-]{36}\/source\.bin$/);
    expect((await minio.store.stat(key))?.size).toBe(wav.length);
    // No worker serves this stack's queues: the job would wait forever; end it here.
    await minio.client.workflow.getHandle((await json(res)).id).terminate('test over');
  });
});
