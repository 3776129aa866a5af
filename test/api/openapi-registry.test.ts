/**
 * Every route validates with the schema /openapi.json publishes for it, and nothing else: each Koa
 * route of the app was mounted with its own spec (api/openapi/route.ts), that spec is the one in
 * ROUTE_SPECS for its method and path, and a handler that answers without parsing its body with the
 * spec's schema is a 500, not a route quietly validating with a copy. No stack: the app is built on
 * stub services and only its routers are read; the mounting guard runs on a small Koa app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import pino from 'pino';
import { z } from 'zod';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { errorHandler } from '../../api/middleware/error-handler';
import { openApiDocument } from '../../api/openapi/document';
import type { RouteSpec } from '../../api/openapi/registry';
import { ROUTE_SPEC, mount } from '../../api/openapi/route';
import { ROUTE_SPECS, SPECS } from '../../api/openapi/specs';
import { parseInput } from '../../api/openapi/validate';
import { loadConfig } from '../../lib/config';
import { ModelRegistry } from '../../lib/models/registry';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vf-registry-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function routerLayers(app: Koa) {
  const out: Array<{ route: string; handler: unknown }> = [];
  for (const mw of app.middleware as Array<{ router?: Router }>) {
    for (const layer of mw.router?.stack ?? []) {
      if (!layer.methods.length) continue; // router.use() middleware, not a route
      const raw = String(layer.path);
      const p = raw.length > 1 ? raw.replace(/\/$/, '') : raw;
      for (const m of layer.methods) if (m !== 'HEAD' && m !== 'OPTIONS') out.push({ route: `${m} ${p}`, handler: layer.stack[layer.stack.length - 1] });
    }
  }
  return out;
}

it('every Koa route is mounted with the ROUTE_SPECS entry for its method and path', () => {
  const config = loadConfig({ VOXFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const stub = {} as never;
  const deps: ApiDeps = { config, temporal: stub, store: stub, models: new ModelRegistry(path.join(dataDir, 'models')), log: pino({ level: 'silent' }), gpu: async () => ({ available: false, name: null, memoryMb: null }), accounts: { keys: stub, ledger: stub, limits: stub, chatSessions: stub }, tiers: config.tiers, liveness: stub };
  const layers = routerLayers(createApp(deps));
  expect(layers.length).toBeGreaterThan(25);
  const wrong = layers
    .map(({ route, handler }) => {
      const spec = (handler as { [ROUTE_SPEC]?: RouteSpec })[ROUTE_SPEC];
      if (!spec) return `${route}: mounted without a spec`;
      if (`${spec.method.toUpperCase()} ${spec.path}` !== route) return `${route}: mounted with the spec of ${spec.method} ${spec.path}`;
      if (!ROUTE_SPECS.includes(spec)) return `${route}: its spec is not in ROUTE_SPECS (not in /openapi.json)`;
      return null;
    })
    .filter(Boolean);
  expect(wrong).toEqual([]);
  // One spec per route, each mounted once.
  const mounted = layers.map((l) => (l.handler as { [ROUTE_SPEC]: RouteSpec })[ROUTE_SPEC]);
  expect(ROUTE_SPECS.filter((s) => !mounted.includes(s)).map((s) => `${s.method} ${s.path}`)).toEqual([]);
});

it('the document publishes the schemas the routes hold: every body, query and path parameter', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const doc: any = openApiDocument({ version: 'test' });
  const summarize = doc.paths['/v1/summarize'].post.requestBody.content['application/json'].schema;
  expect(summarize.required).toEqual(['text']);
  expect(summarize.properties.style.anyOf[0].enum).toEqual(['brief', 'detailed', 'action_items', 'bullet_points']);
  expect(Object.keys(doc.paths['/v1/jobs'].post.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
  expect(Object.keys(doc.paths['/v1/tts'].post.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
  const transcribe = doc.paths['/v1/transcribe'].post.requestBody.content['multipart/form-data'].schema.properties;
  for (const f of ['enhance', 'enhance_model', 'denoise', 'loudness', 'webhook_url', 'webhook_secret']) expect({ f, documented: f in transcribe }).toEqual({ f, documented: true });
  const list = doc.paths['/api/v1/transcripts'].get.parameters.map((p: { name: string }) => p.name);
  expect(list).toEqual(['status', 'language', 'since', 'page_size', 'page_token']);
  for (const spec of ROUTE_SPECS) {
    const op = doc.paths[spec.path.replace(/:(\w+)/g, '{$1}')][spec.method];
    if (spec.body) expect({ route: spec.path, body: Boolean(op.requestBody) }).toEqual({ route: spec.path, body: true });
  }
});

describe('a mounted route is held to its spec', () => {
  const spec = { method: 'post', path: '/t', summary: 't', tag: 't', auth: 'none', body: { json: z.object({ n: z.number().int().min(1) }), required: true }, responses: { 200: { description: 'ok' } } } satisfies RouteSpec;
  const copy = z.object({ n: z.number() }); // a hand-kept second copy of the rule
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = new Koa();
    app.use(errorHandler());
    const router = new Router();
    mount(router, spec, (ctx, input) => void (ctx.body = input.body(JSON.parse(String(ctx.get('x-body'))))));
    mount(router, { ...spec, path: '/copy' }, (ctx) => void (ctx.body = parseInput(copy, JSON.parse(String(ctx.get('x-body'))))));
    mount(router, { ...spec, path: '/none' }, (ctx) => void (ctx.body = { ok: true }));
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const post = (p: string, body: unknown) => fetch(`${base}${p}`, { method: 'POST', headers: { 'x-body': JSON.stringify(body) } });

  it('its own schema: valid input answers, invalid input is a 400 in the API’s words', async () => {
    expect(await (await post('/t', { n: 2 })).json()).toEqual({ n: 2 });
    const bad = await post('/t', { n: 0 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: '`n` must be at least 1.', code: 'invalid_parameter', param: 'n' });
    const missing = await post('/t', {});
    expect(await missing.json()).toMatchObject({ error: '`n` is required.', code: 'missing_parameter', param: 'n' });
  });

  it('a copy of the schema, or no validation at all, is refused (500) instead of answering', async () => {
    expect((await post('/copy', { n: 0 })).status).toBe(500);
    expect((await post('/none', { n: 2 })).status).toBe(500);
  });
});

it('the real specs reject what the routes reject, with the messages the API documents', () => {
  const fail = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return { status: (err as { status: number }).status, error: (err as Error).message, ...(err as { extra: object }).extra };
    }
    throw new Error('accepted');
  };
  const body = (s: { body?: { json?: z.ZodType } }, v: unknown) => fail(() => parseInput(s.body!.json!, v));
  expect(body(SPECS.summarize, { text: 'hi', style: 'haiku' })).toMatchObject({ status: 400, error: "Unknown style 'haiku'. Valid values: brief, detailed, action_items, bullet_points.", code: 'invalid_parameter', param: 'style' });
  expect(body(SPECS.analyze, { text: 'hi' })).toMatchObject({ error: expect.stringMatching(/^`type` is required\. Valid values: sentiment/), code: 'missing_parameter', param: 'type' });
  expect(body(SPECS.summarize, { text: '  ' })).toMatchObject({ error: '`text` is empty.', code: 'invalid_parameter' });
  expect(body(SPECS.summarize, { text: 42 })).toMatchObject({ error: '`text` must be a string.' });
  expect(body(SPECS.summarize, [1])).toMatchObject({ error: 'The request body must be a JSON object.', code: 'invalid_body' });
  expect(body(SPECS.summarize, undefined)).toMatchObject({ code: 'missing_body' });
  expect(body(SPECS.embed, { texts: ['ok', 7] })).toMatchObject({ error: '`texts[1]` must be a string.', param: 'texts' });
  expect(body(SPECS.embed, {})).toMatchObject({ error: expect.stringMatching(/^`texts` is required/), code: 'missing_parameter' });
  expect(body(SPECS.translate, { text: 'a', texts: ['b'], target: 'es' })).toMatchObject({ error: 'Send either `text` (one string) or `texts` (a list of strings), not both.' });
  expect(body(SPECS.summarize, { text: 'hi', webhook_secret: 'short' })).toMatchObject({ error: '`webhook_secret` must be a string of 16 to 256 characters.', param: 'webhook_secret' });
  const query = (s: { query?: z.ZodObject }, v: unknown) => fail(() => parseInput(s.query!, v));
  expect(query(SPECS.search, { q: ['a', 'b'] })).toMatchObject({ error: 'Give `q` once.', code: 'invalid_parameter' });
  expect(query(SPECS.search, { q: '   ' })).toMatchObject({ error: expect.stringMatching(/^`q` is required/), code: 'missing_parameter' });
  expect(query(SPECS.transcripts, { since: '0000-01-01' })).toMatchObject({ error: '`since` must be an ISO 8601 date between 1970 and 9999.', param: 'since' });
  expect(query(SPECS.transcripts, { page_size: '500' })).toMatchObject({ error: '`page_size` must be a whole number from 1 to 100.' });
});
