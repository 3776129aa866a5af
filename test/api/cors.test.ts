/**
 * CORS on the real app: preflights answered without a key, allowed origins echoed, others not,
 * error answers readable by the page, and every header the API sets listed as exposed.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { loadConfig } from '../../lib/config';
import { CORS_EXPOSED_HEADERS, cors } from '../../api/middleware/cors';
import { testConfig } from '../helpers/config';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const ALLOWED = 'https://app.example.com';
let stack: Stack;

beforeAll(async () => {
  // No workers: CORS is the API's alone.
  stack = await startStack(testConfig({ VOXFLOW_CORS_ORIGINS: `${ALLOWED}, http://localhost:5173/` }), { api: true, roles: [] });
});
afterAll(() => stack?.stop());

const preflight = (path: string, origin: string, method = 'POST', headers = 'authorization, content-type, idempotency-key') =>
  fetch(`${stack.baseUrl}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers } });

const list = (v: string | null) => (v ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

it('a preflight from an allowed origin is answered 204 without a key, with the methods and headers', async () => {
  const res = await preflight('/v1/transcribe', ALLOWED);
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(list(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'delete', 'options']));
  expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'prefer']));
  expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  expect(list(res.headers.get('vary'))).toContain('origin');
  // A trailing slash in the configured origin is not part of an origin: it still matches.
  const local = await preflight('/v1/jobs/abc', 'http://localhost:5173', 'DELETE');
  expect(local.status).toBe(204);
  expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
});

it('an origin not in the list gets no CORS headers (preflight or request), and the answer varies on Origin', async () => {
  const pre = await preflight('/v1/transcribe', 'https://evil.example.net');
  expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  expect(pre.status).not.toBe(204);
  const res = await fetch(`${stack.baseUrl}/health`, { headers: { Origin: 'https://app.example.com.evil.net' } });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('access-control-expose-headers')).toBeNull();
  expect(list(res.headers.get('vary'))).toContain('origin');
});

it('answers and error answers to an allowed origin carry the origin and the exposed headers', async () => {
  const ok = await fetch(`${stack.baseUrl}/v1/models`, { headers: { Origin: ALLOWED } });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(list(ok.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['x-request-id', 'x-job-id', 'x-model', 'x-duration', 'retry-after', 'location']));

  const unauthorized = await fetch(`${stack.baseUrl}/v1/jobs?recipe=transcribe`, { headers: { Origin: ALLOWED, Authorization: 'Bearer not-a-key' } });
  expect(unauthorized.status).toBe(401);
  expect(await unauthorized.json()).toEqual({ error: expect.any(String) });
  expect(unauthorized.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(list(unauthorized.headers.get('access-control-expose-headers'))).toContain('www-authenticate');

  const missing = await fetch(`${stack.baseUrl}/v1/nothing-here`, { headers: { Origin: ALLOWED } });
  expect(missing.status).toBe(404);
  expect(missing.headers.get('access-control-allow-origin')).toBe(ALLOWED);
});

it('no origins configured (the default): nothing is allowed; `*` allows any origin', async () => {
  expect(loadConfig({}).http.corsOrigins).toEqual([]);
  expect(() => loadConfig({ VOXFLOW_CORS_ORIGINS: 'app.example.com' })).toThrow(/VOXFLOW_CORS_ORIGINS/);
  const serve = async (origins: string[]) => {
    const app = new Koa();
    app.use(cors(origins));
    app.use((ctx) => void (ctx.body = { ok: true }));
    const server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
  };
  const none = await serve(loadConfig({}).http.corsOrigins);
  const star = await serve(loadConfig({ VOXFLOW_CORS_ORIGINS: '*' }).http.corsOrigins);
  try {
    const n = await fetch(none.url, { method: 'OPTIONS', headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST' } });
    expect(n.headers.get('access-control-allow-origin')).toBeNull();
    const s = await fetch(star.url, { method: 'OPTIONS', headers: { Origin: 'https://anything.example', 'Access-Control-Request-Method': 'POST' } });
    expect(s.status).toBe(204);
    expect(s.headers.get('access-control-allow-origin')).toBe('*');
    const g = await fetch(star.url, { headers: { Origin: 'https://anything.example' } });
    expect(g.headers.get('access-control-allow-origin')).toBe('*');
  } finally {
    await none.close();
    await star.close();
  }
});

it('every response header the API sets (grepped from api/) is exposed', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('cors.ts')) files.push(p);
    }
  };
  walk(path.join(__dirname, '../../api'));
  const set = new Set<string>();
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/ctx\.set\(\s*'([A-Za-z-]+)'/g)) set.add(m[1]);
    // Header maps handed to HttpError and friends: { 'Retry-After': '5' }.
    for (const m of src.matchAll(/'((?:X-|Retry-After|WWW-Authenticate|Location)[A-Za-z-]*)'\s*:/g)) set.add(m[1]);
  }
  // Safelisted for CORS or meaningless to a page.
  for (const h of ['Content-Type', 'Content-Length', 'Content-Language', 'Cache-Control', 'Connection', 'Allow', 'Vary', 'Content-Security-Policy']) set.delete(h);
  const exposed = CORS_EXPOSED_HEADERS.map((h) => h.toLowerCase());
  expect([...set].filter((h) => !exposed.includes(h.toLowerCase()))).toEqual([]);
  expect(set.size).toBeGreaterThanOrEqual(5);
});

it('a method the API does not implement (TRACE) is 405 with Allow, not the router’s 501, and keeps the CORS headers', async () => {
  const res = await fetch(`${stack.baseUrl}/v1/models`, { method: 'PATCH', headers: { Origin: ALLOWED } });
  expect(res.status).toBe(405); // known method, not on this route: the router's own 405
  const trace = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(`${stack.baseUrl}/v1/models`, { method: 'TRACE', headers: { Origin: ALLOWED } }, resolve);
    req.on('error', reject);
    req.end();
  });
  trace.resume();
  expect(trace.statusCode).toBe(405);
  expect(trace.headers.allow).toContain('GET');
  expect(trace.headers['access-control-allow-origin']).toBe(ALLOWED);
});
