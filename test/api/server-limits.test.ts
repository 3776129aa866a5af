/**
 * The API process's own HTTP server (api/server.ts): its timeouts let a synchronous call wait as
 * long as VOXFLOW_SYNC_WAIT_MS allows, and what Node's parser refuses before Koa (oversized headers,
 * bytes that are not HTTP) is answered JSON like every other error. A forged X-Forwarded-For never
 * becomes a tenant id.
 */
import net from 'node:net';
import { startApi } from '../../api/server';
import { testConfig } from '../helpers/config';

const config = testConfig({ VOXFLOW_TRUST_PROXY: 'true' });
let api: Awaited<ReturnType<typeof startApi>>;
let port: number;

beforeAll(async () => {
  api = await startApi(config);
  port = (api.server.address() as net.AddressInfo).port;
});
afterAll(() => api?.close());

/** Writes raw bytes and reads until the server closes the connection. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (c) => (out += c.toString('utf8')));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error(`no answer: ${out}`)));
    s.write(bytes);
  });
}

it('no socket-level timeout cuts a long synchronous wait (headers still have theirs)', () => {
  expect(api.server.requestTimeout).toBe(0);
  expect(api.server.timeout).toBe(0);
  expect(api.server.headersTimeout).toBeGreaterThan(0);
  expect(api.server.headersTimeout).toBeLessThanOrEqual(60_000);
});

it('oversized request headers: 431 with a JSON error', async () => {
  const res = await exchange(`GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
  expect(res).toMatch(/^HTTP\/1\.1 431 /);
  expect(res).toMatch(/content-type: application\/json/i);
  expect(JSON.parse(res.slice(res.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'The request headers are larger than this server accepts.' });
});

it('bytes that are not HTTP: 400 with a JSON error', async () => {
  const res = await exchange('\u0001\u0002 hello there\r\n\r\n');
  expect(res).toMatch(/^HTTP\/1\.1 400 /);
  expect(JSON.parse(res.slice(res.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'The request is not valid HTTP.' });
});

it('an X-Forwarded-For that is not an address is refused, not used as a tenant id', async () => {
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.alloc(100, 1)]), 'a.wav');
  const res = await fetch(`http://127.0.0.1:${port}/v1/enhance-audio`, { method: 'POST', headers: { 'X-Forwarded-For': 'x'.repeat(5000) }, body: fd });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ code: 'invalid_client_ip' });
});
