/** The HTTP contract end to end: Koa app → real Temporal → real workers → storage → poll. */
import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { encodeAs, speechWav, videoWithoutAudio } from '../helpers/media';
import { until } from '../helpers/jobs';
import { form, json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';

const config = testConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: '100', VOXFLOW_MAX_UPLOAD_MB: '2', VOXFLOW_SYNC_WAIT_MS: '120000', VOXFLOW_TRUST_PROXY: 'true' });
let stack: Stack;
let dir: string;
let speech: string;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  speech = speechWav(dir, 'Hello from the API test. Please enhance this recording.');
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;

describe('public catalogue and health', () => {
  it('GET /health reports the truth of this machine and the pipeline', async () => {
    const res = await until(async () => {
      const r = await fetch(url('/health'));
      return r.status === 200 ? r : undefined; // workers need a moment to register their pollers
    });
    const body = await json(res);
    expect(body).toMatchObject({
      status: 'ok',
      gpu_available: false,
      gpu_name: null,
      gpu_memory_mb: null,
      temporal: { reachable: true, namespace: 'default' },
      storage: { kind: 'local', reachable: true },
    });
    expect(body.workers.control.workflow_pollers).toBeGreaterThan(0);
    expect(body.workers.gpu.activity_pollers).toBeGreaterThan(0);
  });

  it('GET /v1/models lists the contract models with honest installed flags', async () => {
    const body = await json(await fetch(url('/v1/models')));
    // The four contract models first, then any other installed model (the test setup installs `base`).
    expect(body.models.slice(0, 4).map((m: { id: string }) => m.id)).toEqual(['large-v3-turbo', 'large-v3', 'medium', 'small']);
    expect(body.models[0]).toMatchObject({ id: 'large-v3-turbo', name: 'Whisper Large V3 Turbo', languages: 99, speed: 'fast' });
    for (const m of body.models) expect(typeof m.installed).toBe('boolean');
    const installedDirs = fs.readdirSync(path.join(config.modelsDir, 'whisper')).filter((d) => fs.existsSync(path.join(config.modelsDir, 'whisper', d, 'manifest.json')));
    expect(body.models.filter((m: { installed: boolean; type: string }) => m.installed && m.type === 'asr').map((m: { id: string }) => m.id).sort()).toEqual(installedDirs.sort());
    expect(body.models.find((m: { id: string }) => m.id === 'base')).toMatchObject({ installed: true });
  });

  it('GET /v1/languages lists 100 languages with code and name', async () => {
    const body = await json(await fetch(url('/v1/languages')));
    expect(body.languages).toHaveLength(100);
    expect(body.languages.slice(0, 3)).toEqual([
      { code: 'en', name: 'english' },
      { code: 'zh', name: 'chinese' },
      { code: 'de', name: 'german' },
    ]);
  });

  it('unknown routes answer JSON errors with a request id', async () => {
    const res = await fetch(url('/v1/nope'));
    expect(res.status).toBe(404);
    expect(await json(res)).toHaveProperty('error');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });
});

describe('POST /v1/enhance-audio', () => {
  it('synchronously returns the enhanced WAV', async () => {
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: form(encodeAs(speech, 'mp3', dir)) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-job-id')).toMatch(/^job_[0-9a-f]{32}$/);
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.subarray(8, 12).toString()).toBe('WAVE');
    expect(wav.readUInt32LE(24)).toBe(48000);
  });

  it('answers 202 with Prefer: respond-async; polling shows steps and the result', async () => {
    const res = await fetch(url('/v1/enhance-audio'), {
      method: 'POST',
      headers: { Prefer: 'respond-async' },
      body: form(encodeAs(speech, 'ogg', dir)),
    });
    expect(res.status).toBe(202);
    const accepted = await json(res);
    // The 202 says what the job is really doing: waiting for a worker, or already at its first step.
    expect(accepted).toMatchObject({ object: 'job', status: expect.stringMatching(/^(queued|running)$/), recipe: 'enhance-audio' });
    expect(res.headers.get('location')).toBe(`/v1/jobs/${accepted.id}`);

    const done = await until(async () => {
      const j = await json(await fetch(url(accepted.status_url)));
      return j.status === 'succeeded' ? j : undefined;
    });
    expect(done.progress).toBe(1);
    expect(done.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['probe', 'done'],
      ['enhance', 'done'],
    ]);
    expect(done.links.result).toBe(`/v1/jobs/${accepted.id}/result`);
    const out = await fetch(url(done.links.result));
    expect(out.status).toBe(200);
    expect(out.headers.get('content-type')).toBe('audio/wav');
    expect((await out.arrayBuffer()).byteLength).toBe(done.result.outputs[0].sizeBytes);
  });

  it('the same Idempotency-Key returns the same job and keeps only one upload', async () => {
    const headers = { 'Idempotency-Key': `idem-${Date.now()}`, Prefer: 'respond-async' };
    const before = countObjects('uploads');
    const a = await json(await fetch(url('/v1/enhance-audio'), { method: 'POST', headers, body: form(speech) }));
    const b = await json(await fetch(url('/v1/enhance-audio'), { method: 'POST', headers, body: form(speech) }));
    expect(b.id).toBe(a.id);
    expect(countObjects('uploads')).toBe(before + 1);
    const other = await json(await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { ...headers, 'Idempotency-Key': `${headers['Idempotency-Key']}-2` }, body: form(speech) }));
    expect(other.id).not.toBe(a.id);
  });

  it.each([
    ['missing file', () => form(null, { foo: 'bar' }), 400, 'missing_file'],
    // Format by content, not by name: the probe refuses what ffprobe cannot read, whatever it is called.
    ['text content named doc.txt', () => { const f = path.join(dir, 'doc.txt'); fs.writeFileSync(f, 'hello'); return form(f); }, 400, 'not_media'],
    ['empty file', () => { const f = path.join(dir, 'empty.wav'); fs.writeFileSync(f, ''); return form(f); }, 400, 'empty_file'],
    ['not media', () => { const f = path.join(dir, 'fake.mp3'); fs.writeFileSync(f, 'nope '.repeat(400)); return form(f); }, 400, 'not_media'],
    ['video without audio', () => form(videoWithoutAudio(dir)), 400, 'no_audio_stream'],
  ])('rejects %s with a clear JSON error', async (_name, body, status, code) => {
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: body() });
    expect(res.status).toBe(status);
    const err = await json(res);
    expect(err.code).toBe(code);
    expect(typeof err.error).toBe('string');
    expect(err.error.length).toBeGreaterThan(10);
  });

  it('rejects a JSON body with 400', async () => {
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatch(/multipart/);
  });

  it('refuses an over-limit upload with 413 and stores nothing', async () => {
    const big = path.join(dir, 'big.wav');
    fs.writeFileSync(big, Buffer.alloc(5 * 1024 * 1024, 1));
    const before = countObjects('uploads');
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', body: form(big) });
    expect(res.status).toBe(413);
    expect((await json(res)).error).toMatch(/larger than/);
    expect(countObjects('uploads')).toBe(before);
  });

  it('refuses an over-limit chunked upload (no Content-Length) with 413 and stores nothing', async () => {
    const before = countObjects('uploads');
    const boundary = 'vfboundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(head);
        for (let i = 0; i < 5; i++) c.enqueue(Buffer.alloc(1024 * 1024, 2));
        c.enqueue(tail);
        c.close();
      },
    });
    const res = await fetch(url('/v1/enhance-audio'), {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(countObjects('uploads')).toBe(before);
  });
});

describe('jobs', () => {
  it('unknown and malformed job ids are 404', async () => {
    expect((await fetch(url('/v1/jobs/job_00000000000000000000000000000000'))).status).toBe(404);
    expect((await fetch(url('/v1/jobs/not-a-job'))).status).toBe(404);
  });

  it("one client cannot see another client's job", async () => {
    const res = await fetch(url('/v1/enhance-audio'), {
      method: 'POST',
      headers: { Prefer: 'respond-async', 'X-Forwarded-For': '203.0.113.7' },
      body: form(speech),
    });
    const { id } = await json(res);
    expect((await fetch(url(`/v1/jobs/${id}`), { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200);
    const other = await fetch(url(`/v1/jobs/${id}`), { headers: { 'X-Forwarded-For': '198.51.100.9' } });
    expect(other.status).toBe(404);
    expect((await fetch(url(`/v1/jobs/${id}/cancel`), { method: 'POST', headers: { 'X-Forwarded-For': '198.51.100.9' } })).status).toBe(404);
  });

  it('a failed job shows its typed error and failed step', async () => {
    const f = path.join(dir, 'broken.wav');
    fs.writeFileSync(f, 'RIFF----WAVEfmt garbage '.repeat(100));
    const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: { Prefer: 'respond-async' }, body: form(f) });
    const { id } = await json(res);
    const job = await until(async () => {
      const j = await json(await fetch(url(`/v1/jobs/${id}`)));
      return j.status === 'failed' ? j : undefined;
    });
    expect(job.error).toMatchObject({ type: 'InvalidMedia', code: 'not_media' });
    expect(job.steps[0]).toMatchObject({ name: 'probe', status: 'failed' });
    expect(job.steps[1]).toMatchObject({ name: 'enhance', status: 'pending' });
    expect((await fetch(url(`/v1/jobs/${id}/result`))).status).toBe(409);
  });
});

function countObjects(prefix = ''): number {
  const root = path.join(config.dataDir, 'objects', prefix);
  let n = 0;
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.tmp' || e.name.endsWith('.meta.json')) continue;
      if (e.isDirectory()) walk(path.join(d, e.name));
      else n++;
    }
  };
  walk(root);
  return n;
}
