/**
 * Every wrong request gets a JSON answer that says what is wrong (issue #9 finding 9): framework
 * defaults (404, 405) included, body limits named, parser internals and long values never echoed
 * into answers or logs, the account API's bodies validated (415/400/413) and API keys capped.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';
import { ApiKeys } from '../../lib/accounts/keys';

const KEY_CAP = 4;
const config = testConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: '5', VOXFLOW_MAX_API_KEYS: String(KEY_CAP), VOXFLOW_UPLOAD_IDLE_MS: '1000' });
let stack: Stack;
const logLines: string[] = [];

beforeAll(async () => {
  // The API's log at info level, kept to check that nothing long is written into it.
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  stack = await startStack(config, { api: true, roles: ['control'], apiDeps: { log: pino({ level: 'info' }, sink) } });
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

async function newKey(): Promise<string> {
  const account = await stack.ledger.createAccount({ tenant: `t-${Math.random()}`, plan: 'paid', credits: 10 });
  return (await new ApiKeys(stack.db).create(account.id, 'first')).key;
}

describe('framework defaults answer JSON', () => {
  it.each([
    ['GET', '/v1/transcribe', 'POST'],
    ['DELETE', '/v1/enhance-audio', 'POST'],
    ['PUT', '/v1/models', 'GET'],
  ])('%s %s: 405 {"error"} with the Allow header', async (method, path, allowed) => {
    const res = await fetch(url(path), { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('allow')).toContain(allowed);
    expect((await json(res)).error).toMatch(new RegExp(`${method} is not allowed on ${path}; allowed: .*${allowed}`));
  });

  it('an unknown route is a JSON 404 that does not echo a long path whole', async () => {
    const res = await fetch(url(`/v1/${'p'.repeat(5000)}`));
    expect(res.status).toBe(404);
    const body = await json(res);
    expect(body.error).toMatch(/^No route for GET \/v1\/p+… \(5004 characters\)\.$/);
    expect(JSON.stringify(body).length).toBeLessThan(300);
  });
});

describe('the account API validates its bodies', () => {
  it('PUT /api/v1/account: non-JSON is 415, a body over 64 KB is 413 saying so, broken JSON is 400 in our words', async () => {
    const key = await newKey();
    const xml = await fetch(url('/api/v1/account/'), { method: 'PUT', headers: { ...auth(key), 'content-type': 'application/xml' }, body: '<email>a@b.c</email>' });
    expect(xml.status).toBe(415);
    expect((await json(xml)).error).toMatch(/application\/json/);

    const big = await fetch(url('/api/v1/account/'), {
      method: 'PUT',
      headers: { ...auth(key), 'content-type': 'application/json' },
      body: JSON.stringify({ preferences: { blob: 'z'.repeat(70 * 1024) } }),
    });
    expect(big.status).toBe(413);
    const bigBody = await json(big);
    expect(bigBody.error).toBe('The JSON body is larger than 64 KB.');

    const broken = await fetch(url('/api/v1/account/'), { method: 'PUT', headers: { ...auth(key), 'content-type': 'application/json' }, body: '{"email": "a@b.c",' });
    expect(broken.status).toBe(400);
    expect(await json(broken)).toMatchObject({ error: 'The request body is not valid JSON.', code: 'invalid_json' });

    // A long unknown key is named, but clipped.
    const odd = await fetch(url('/api/v1/account/'), {
      method: 'PUT',
      headers: { ...auth(key), 'content-type': 'application/json' },
      body: JSON.stringify({ ['k'.repeat(50_000)]: 1 }),
    });
    expect(odd.status).toBe(400);
    expect(JSON.stringify(await json(odd)).length).toBeLessThan(600);
  });

  it('a JSON body that stalls is 408 and one streamed past 64 KB without a length is 413, both at once', async () => {
    const key = await newKey();
    const { port } = new URL(stack.baseUrl!);
    const raw = (head: string, body: string, keepOpen: boolean) =>
      new Promise<{ text: string; ms: number }>((resolve, reject) => {
        const t0 = Date.now();
        const sock = net.connect(Number(port), '127.0.0.1', () => {
          sock.write(head + body);
          if (!keepOpen) sock.end();
        });
        let text = '';
        sock.on('data', (d) => (text += d.toString()));
        sock.on('close', () => resolve({ text, ms: Date.now() - t0 }));
        sock.on('error', reject);
        setTimeout(() => sock.destroy(), 10_000);
      });
    const stalledJson = await raw(
      `PUT /api/v1/account/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
      '{"email": ',
      true,
    );
    expect(stalledJson.text).toMatch(/^HTTP\/1\.1 408/);
    expect(stalledJson.text).toContain('"code":"body_stalled"');
    expect(stalledJson.ms).toBeLessThan(5000);

    const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`;
    const streamed = await raw(
      `PUT /api/v1/account/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      chunk('{"preferences": "') + chunk('y'.repeat(70 * 1024)) + chunk('"}') + '0\r\n\r\n',
      false,
    );
    expect(streamed.text).toMatch(/^HTTP\/1\.1 413/);
    expect(streamed.text).toContain('The JSON body is larger than 64 KB.');
  });

  it('POST /api/v1/keys: 415 for non-JSON, 400 for unknown or invalid fields, 409 above the per-account cap', async () => {
    const key = await newKey();
    const post = (body: string, type = 'application/json') => fetch(url('/api/v1/keys/'), { method: 'POST', headers: { ...auth(key), 'content-type': type }, body });
    expect((await post('name=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(JSON.stringify({ name: 'ok', admin: true }))).status).toBe(400);
    expect((await post(JSON.stringify({ name: 42 }))).status).toBe(400);
    expect((await post(JSON.stringify({ name: 'n'.repeat(101) }))).status).toBe(400);
    expect((await post(JSON.stringify([1, 2]))).status).toBe(400);

    // The account has one key; up to the cap more can be made (an empty body names it `default`).
    const first = await fetch(url('/api/v1/keys/'), { method: 'POST', headers: auth(key) });
    expect(first.status).toBe(201);
    expect((await json(first)).name).toBe('default');
    for (let n = 2; n < KEY_CAP; n++) expect((await post(JSON.stringify({ name: `k${n}` }))).status).toBe(201);
    const over = await post(JSON.stringify({ name: 'one too many' }));
    expect(over.status).toBe(409);
    expect((await json(over)).error).toMatch(new RegExp(`already has ${KEY_CAP} active API keys \\(at most ${KEY_CAP}\\); revoke one first`));

    // Revoking one makes room again.
    const list = await json(await fetch(url('/api/v1/keys/'), { headers: auth(key) }));
    const victim = list.keys.find((k: { name: string }) => k.name === 'k2');
    expect((await fetch(url(`/api/v1/keys/${victim.id}/`), { method: 'DELETE', headers: auth(key) })).status).toBe(204);
    expect((await post(JSON.stringify({ name: 'replacement' }))).status).toBe(201);
  });
});

describe('long parameter values are never echoed whole', () => {
  it('a 3,000-character language or model is refused with a clipped message, and the log stays short', async () => {
    const wav = Buffer.alloc(4000, 1);
    for (const [param, code] of [
      ['language', 'invalid_parameter'],
      ['model', 'model_not_installed'],
    ]) {
      const fd = new FormData();
      fd.append('file', new Blob([wav]), 'clip.wav');
      fd.append(param, 'v'.repeat(3000));
      const res = await fetch(url('/v1/transcribe'), { method: 'POST', body: fd });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ code, param });
      expect(text).toContain('… (3000 characters)');
      expect(text.length).toBeLessThan(500);
    }
    expect(logLines.some((l) => l.includes('request rejected'))).toBe(true);
    expect(logLines.filter((l) => l.includes('v'.repeat(200)))).toEqual([]);
  });
});
