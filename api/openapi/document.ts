/**
 * The OpenAPI 3.1 document, generated from the route specs (api/openapi/specs/) by zod's own JSON
 * Schema output: the schemas the routes validate with are the ones published, never a second copy.
 */
import { z } from 'zod';
import { openAiErrorSchema } from '../openai/schemas';
import { errorSchema, openApiPath, type RouteSpec } from './registry';
import { ROUTE_SPECS } from './specs';

type Json = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect). Requests are documented as sent (input), responses as received (output). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

const ERROR_STATUSES: Record<string, number[]> = {
  none: [400, 404, 500],
  optional: [400, 401, 402, 404, 413, 429, 500, 503],
  required: [400, 401, 402, 404, 413, 429, 500, 503],
};

const ERROR_WORDS: Record<number, string> = {
  400: 'Invalid request (the message names the parameter).',
  401: 'Missing, invalid or revoked API key.',
  402: 'Not enough credits.',
  404: 'Not found.',
  409: 'Conflict with the job’s state.',
  413: 'Too large for this tier (file, text or audio length).',
  429: 'Tier limit reached (concurrency or daily jobs); see Retry-After.',
  500: 'Internal error.',
  503: 'The job service is temporarily unavailable; see Retry-After.',
};

function parameters(spec: RouteSpec): Json[] {
  const params: Json[] = [];
  const add = (where: 'path' | 'query' | 'header', obj: z.ZodObject | undefined) => {
    if (!obj) return;
    const schema = jsonSchema(obj, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = prop as Json & { description?: string };
      params.push({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
    }
  };
  add('path', spec.path_params);
  add('query', spec.query);
  add('header', spec.headers);
  return params;
}

function bodyContent(body: NonNullable<RouteSpec['body']>): Json {
  return {
    ...(body.json ? { 'application/json': { schema: jsonSchema(body.json, 'input') } } : {}),
    ...(body.form ? { 'multipart/form-data': { schema: jsonSchema(body.form, 'input') } } : {}),
  };
}

function operation(spec: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers?.length ? { headers: Object.fromEntries(r.headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
      ...(r.content ? { content: Object.fromEntries(Object.entries(r.content).map(([type, schema]) => [type, { schema: jsonSchema(schema, 'output') }])) } : {}),
    };
  }
  for (const status of ERROR_STATUSES[spec.auth]) {
    if (responses[status]) continue;
    responses[status] = {
      description: ERROR_WORDS[status],
      ...(status === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } } : {}),
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { schema: { type: 'string' } } } } : {}),
      content: { 'application/json': { schema: { $ref: spec.errors === 'openai' ? '#/components/schemas/OpenAiError' : '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: `${spec.method}${spec.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.auth === 'none' ? [] : spec.auth === 'optional' ? [{}, { bearer: [] }] : [{ bearer: [] }],
    ...(parameters(spec).length ? { parameters: parameters(spec) } : {}),
    ...(spec.body ? { requestBody: { required: spec.body.required ?? false, content: bodyContent(spec.body) } } : {}),
    responses,
  };
}

export function openApiDocument(opts: { version: string; specs?: readonly RouteSpec[] }): Json {
  const paths: Record<string, Json> = {};
  for (const spec of opts.specs ?? ROUTE_SPECS) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'voxflow API',
      version: opts.version,
      description:
        'Self-hostable speech AI. Errors are JSON `{"error": "..."}` (OpenAI-compatible routes: OpenAI’s `{"error": {"message", "type", "param", "code"}}`). ' +
        'Anonymous calls are allowed where the security list has an empty entry (tier limits apply); an API key goes in `Authorization: Bearer <key>`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (POST /api/v1/keys).' } },
      schemas: { Error: jsonSchema(errorSchema, 'output'), OpenAiError: jsonSchema(openAiErrorSchema, 'output') },
    },
    paths,
  };
}
