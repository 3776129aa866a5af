/**
 * The OpenAPI document against the running app: every route registered on a Koa router has a spec
 * (a new route without one fails here, named), the document is well formed, and real answers of a
 * live stack (public, account, job and error responses) validate against the schemas it publishes.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type Koa from 'koa';
import type Router from '@koa/router';
import pino from 'pino';
import { createApp } from '../../api/app';
import { accountServices } from '../../lib/accounts';
import { WorkerHeartbeats } from '../../lib/liveness/worker-heartbeats';
import { ModelRegistry } from '../../lib/models/registry';
import { ROUTE_SPECS } from '../../api/openapi/specs';
import { openApiPath } from '../../api/openapi/registry';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(300_000);

let stack: Stack;
let app: Koa;
/* eslint-disable @typescript-eslint/no-explicit-any */
let doc: any;

beforeAll(async () => {
  stack = await startStack(testConfig(), { api: true });
  doc = await json(await fetch(`${stack.baseUrl}/openapi.json`));
  // The same app the stack serves, built again only to read its routers (nothing is listened on).
  app = createApp({
    config: stack.config,
    temporal: stack.client,
    store: stack.store,
    models: new ModelRegistry(stack.config.modelsDir),
    log: pino({ level: 'silent' }),
    gpu: async () => ({ available: false, name: null, memoryMb: null }),
    accounts: accountServices(stack.db),
    tiers: stack.config.tiers,
    liveness: new WorkerHeartbeats(stack.db),
  });
});
afterAll(() => stack?.stop());

/** METHOD /path for every route the app's Koa routers answer (HEAD is GET's). */
function registeredRoutes(koa: Koa): string[] {
  const out = new Set<string>();
  for (const mw of koa.middleware as Array<{ router?: Router }>) {
    for (const layer of mw.router?.stack ?? []) {
      const raw = String(layer.path);
      const path = raw.length > 1 ? raw.replace(/\/$/, '') : raw;
      for (const m of layer.methods) if (m !== 'HEAD' && m !== 'OPTIONS') out.add(`${m} ${path}`);
    }
  }
  return [...out].sort();
}

it('every route on the Koa routers has a spec, and every spec a route', () => {
  const routes = registeredRoutes(app);
  const specs = ROUTE_SPECS.map((s) => `${s.method.toUpperCase()} ${s.path}`);
  expect(routes.length).toBeGreaterThan(25);
  expect({ undocumented: routes.filter((r) => !specs.includes(r)) }).toEqual({ undocumented: [] });
  expect({ stale: specs.filter((s) => !routes.includes(s)) }).toEqual({ stale: [] });
});

it('the document is OpenAPI 3.1: path parameters declared, errors described, schemas compile', () => {
  expect(doc.openapi).toBe('3.1.0');
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [method, op] of Object.entries<any>(ops)) {
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
      expect({ op: `${method} ${path}`, path: declared }).toEqual({ op: `${method} ${path}`, path: templated });
      expect(op.responses['400'] ?? op.responses['404']).toBeDefined();
      for (const r of Object.values<any>(op.responses)) {
        for (const c of Object.values<any>(r.content ?? {})) {
          if (!c.schema.$ref) expect(() => ajv.compile(c.schema)).not.toThrow();
        }
      }
    }
  }
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/transcribe', '/v1/audio/transcriptions', '/v1/jobs/{id}', '/api/v1/transcripts/{id}/export/{format}']));
});

/** Validates a live answer against the document's schema for that operation and status. */
async function conforms(res: Response, method: string, koaPath: string): Promise<any> {
  const op = doc.paths[openApiPath(koaPath)]?.[method];
  expect(op).toBeDefined();
  const r = op.responses[String(res.status)];
  if (!r) throw new Error(`${method} ${koaPath} answered ${res.status}, which its spec does not list`);
  if (!r.content) return undefined;
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  const media = r.content[type];
  if (!media) throw new Error(`${method} ${koaPath} ${res.status} answered ${type}, not in its spec (${Object.keys(r.content)})`);
  const body = type.includes('json') ? await res.json() : await res.text();
  const schema = media.schema.$ref ? doc.components.schemas[media.schema.$ref.split('/').pop()] : media.schema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!validate(body)) throw new Error(`${method} ${koaPath} ${res.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

it('public and account answers match their schemas', async () => {
  const u = stack.baseUrl!;
  await conforms(await fetch(`${u}/health`), 'get', '/health');
  await conforms(await fetch(`${u}/v1/models`), 'get', '/v1/models');
  await conforms(await fetch(`${u}/v1/models/base`), 'get', '/v1/models/:id');
  await conforms(await fetch(`${u}/v1/models/nope`), 'get', '/v1/models/:id'); // 404, OpenAI's error shape
  await conforms(await fetch(`${u}/v1/languages`), 'get', '/v1/languages');
  const { headers } = await paidKeyOn(stack, 'openapi', 10);
  const auth = { Authorization: headers.Authorization };
  await conforms(await fetch(`${u}/api/v1/account`, { headers: auth }), 'get', '/api/v1/account');
  await conforms(await fetch(`${u}/api/v1/account`, { headers: { Authorization: 'Bearer nope' } }), 'get', '/api/v1/account'); // 401
  await conforms(await fetch(`${u}/api/v1/account`, { method: 'PUT', headers, body: JSON.stringify({ email: 'a@example.com', preferences: { lang: 'en' } }) }), 'put', '/api/v1/account');
  await conforms(await fetch(`${u}/api/v1/keys`, { method: 'POST', headers, body: JSON.stringify({ name: 'ci' }) }), 'post', '/api/v1/keys');
  await conforms(await fetch(`${u}/api/v1/keys`, { headers: auth }), 'get', '/api/v1/keys');
  await conforms(await fetch(`${u}/api/v1/usage`, { headers: auth }), 'get', '/api/v1/usage');
  await conforms(await fetch(`${u}/api/v1/transcripts?page_size=5`, { headers: auth }), 'get', '/api/v1/transcripts');
  await conforms(await fetch(`${u}/api/v1/transcripts?status=nope`, { headers: auth }), 'get', '/api/v1/transcripts'); // 400
  await conforms(await fetch(`${u}/v1/audio/transcriptions`, { method: 'POST', headers: auth, body: form(jfk().wav, { model: 'whisper-1', response_format: 'xml' }) }), 'post', '/v1/audio/transcriptions'); // 400, OpenAI's shape
  await conforms(await fetch(`${u}/openapi.json`), 'get', '/openapi.json');
});

it('a job through its life matches: 202 accepted, the job view, its transcript result', async () => {
  const u = stack.baseUrl!;
  const { headers } = await paidKeyOn(stack, 'openapi-job', 10);
  const auth = { Authorization: headers.Authorization };
  const accepted = await conforms(
    await fetch(`${u}/v1/transcribe`, { method: 'POST', headers: { ...auth, Prefer: 'respond-async' }, body: form(jfk().wav, { diarize: 'false' }) }),
    'post',
    '/v1/transcribe',
  );
  expect(accepted.status_url).toBe(`/v1/jobs/${accepted.id}`);
  let view: any;
  for (const started = Date.now(); Date.now() - started < 240_000; await new Promise((r) => setTimeout(r, 1000))) {
    // A kept-alive socket the server is closing resets once in a while under load: one retry, on a new connection.
    const res = await fetch(`${u}${accepted.status_url}`, { headers: auth }).catch(() => fetch(`${u}${accepted.status_url}`, { headers: auth }));
    view = await conforms(res, 'get', '/v1/jobs/:id');
    if (view.status === 'succeeded' || view.status === 'failed') break;
  }
  expect(view.status).toBe('succeeded');
  const transcript = await conforms(await fetch(`${u}/v1/jobs/${accepted.id}/result`, { headers: auth }), 'get', '/v1/jobs/:id/result');
  expect(transcript.model).toBe('base');
  await conforms(await fetch(`${u}/api/v1/transcripts/${accepted.id}`, { headers: auth }), 'get', '/api/v1/transcripts/:id');
  await conforms(await fetch(`${u}/v1/jobs/${accepted.id}/cancel`, { method: 'POST', headers: auth }), 'post', '/v1/jobs/:id/cancel'); // 409
});

it('/docs serves the reference page with local assets only', async () => {
  const res = await fetch(`${stack.baseUrl}/docs`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('swagger-ui');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) {
    const a = await fetch(`${stack.baseUrl}/docs/${asset}`);
    expect({ asset, status: a.status }).toEqual({ asset, status: 200 });
    expect(await a.text()).not.toMatch(/^\s*$/);
  }
  expect((await fetch(`${stack.baseUrl}/docs/..%2Fpackage.json`)).status).toBe(404);
});
