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
  // The stored transcript's other routes.
  for (const format of ['json', 'srt']) await conforms(await fetch(`${u}/api/v1/transcripts/${accepted.id}/export/${format}`, { headers: auth }), 'get', '/api/v1/transcripts/:id/export/:format');
  await conforms(await fetch(`${u}/api/v1/transcripts/${accepted.id}/export/xml`, { headers: auth }), 'get', '/api/v1/transcripts/:id/export/:format'); // 400
  const post = (p: string, body: unknown) => fetch(`${u}${p.replace(':id', accepted.id)}`, { method: 'POST', headers, body: JSON.stringify(body) });
  await conforms(await post('/api/v1/transcripts/:id/analyze', { type: 'haiku' }), 'post', '/api/v1/transcripts/:id/analyze'); // 400
  await conforms(await post('/api/v1/transcripts/:id/generate', {}), 'post', '/api/v1/transcripts/:id/generate'); // 400
  await conforms(await post('/api/v1/transcripts/:id/chat', { question: 7 }), 'post', '/api/v1/transcripts/:id/chat'); // 400
  await conforms(await fetch(`${u}/api/v1/search?q=`, { headers: auth }), 'get', '/api/v1/search'); // 400
  await conforms(await fetch(`${u}/api/v1/transcripts/${accepted.id}`, { method: 'DELETE', headers: auth }), 'delete', '/api/v1/transcripts/:id'); // 204
});

it('every other route answers as documented: pages, text and media jobs, recipes, keys', async () => {
  const u = stack.baseUrl!;
  const { headers } = await paidKeyOn(stack, 'openapi-more', 10);
  const auth = { Authorization: headers.Authorization };
  await conforms(await fetch(`${u}/v1/languages?task=translate`), 'get', '/v1/languages');
  await conforms(await fetch(`${u}/v1/languages?task=sing`), 'get', '/v1/languages'); // 400
  await conforms(await fetch(`${u}/docs`), 'get', '/docs');
  await conforms(await fetch(`${u}/docs/init.js`), 'get', '/docs/:asset');
  await conforms(await fetch(`${u}/demo`), 'get', '/demo');
  await conforms(await fetch(`${u}/demo/demo.js`), 'get', '/demo/:asset');
  const post = (p: string, body: unknown, extra: Record<string, string> = {}) => fetch(`${u}${p}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  // A job accepted at once (202 with its status URL), and each text route's 400 in the contract's error shape.
  const summary = await conforms(await post('/v1/summarize', { text: 'The lease ends in May.' }, { Prefer: 'respond-async' }), 'post', '/v1/summarize');
  expect(summary.status_url).toBe(`/v1/jobs/${summary.id}`);
  await conforms(await post('/v1/summarize', { text: 'x', style: 'haiku' }), 'post', '/v1/summarize');
  await conforms(await post('/v1/analyze', { text: 'x' }), 'post', '/v1/analyze');
  await conforms(await post('/v1/generate', { text: 42, type: 'quiz' }), 'post', '/v1/generate');
  await conforms(await post('/v1/translate', { target: 'es' }), 'post', '/v1/translate');
  await conforms(await post('/v1/embed', { texts: [] }), 'post', '/v1/embed');
  await conforms(await post('/v1/tts', { text: '  ' }), 'post', '/v1/tts');
  await conforms(await post('/v1/jobs', { steps: ['summarize'] }), 'post', '/v1/jobs');
  await conforms(await post('/v1/summarize', { text: 'x', webhook_url: 'ftp://example.com/' }), 'post', '/v1/summarize');
  await conforms(await fetch(`${u}/v1/enhance-audio`, { method: 'POST', headers: auth, body: form(jfk().wav, { denoise: 'lots' }) }), 'post', '/v1/enhance-audio');
  await conforms(await fetch(`${u}/v1/audio/translations`, { method: 'POST', headers: auth, body: form(jfk().wav, { model: 'whisper-1', temperature: '3' }) }), 'post', '/v1/audio/translations');
  await conforms(await fetch(`${u}/v1/jobs/${summary.id}/result?format=xml`, { headers: auth }), 'get', '/v1/jobs/:id/result'); // 400
  await conforms(await fetch(`${u}/v1/jobs/${summary.id}/cancel`, { method: 'POST', headers: auth }), 'post', '/v1/jobs/:id/cancel'); // 202 (409 had it finished)
  await conforms(await fetch(`${u}/v1/jobs/${summary.id}`, { method: 'DELETE', headers: auth }), 'delete', '/v1/jobs/:id'); // 409 while cancelling, 204 once ended
  const key = await conforms(await post('/api/v1/keys', { name: 'to revoke' }), 'post', '/api/v1/keys');
  await conforms(await fetch(`${u}/api/v1/keys/${key.id}`, { method: 'DELETE', headers: auth }), 'delete', '/api/v1/keys/:id'); // 204
  await conforms(await fetch(`${u}/api/v1/keys/${key.id}x`, { method: 'DELETE', headers: auth }), 'delete', '/api/v1/keys/:id'); // 404
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
