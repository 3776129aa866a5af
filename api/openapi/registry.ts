/**
 * Route specs: each route declares its parameters, body and responses as zod schemas, and the
 * OpenAPI document (api/openapi/document.ts) is generated from them (the lists in api/openapi/specs/).
 * Routes are mounted with their spec (api/openapi/route.ts), which validates path and query
 * parameters, JSON bodies and form fields with these very schemas: there is no second copy.
 * test/api/openapi.test.ts fails when a Koa route has no spec, or was mounted without it.
 */
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** Body schema per content type (absent: no body, e.g. 204). */
  content?: Record<string, z.ZodType>;
  /** Response headers worth documenting (names as the API sets them). */
  headers?: string[];
}

export interface RouteSpec<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  J extends z.ZodType = z.ZodType,
  F extends z.ZodObject = z.ZodObject,
> {
  method: HttpMethod;
  /** Koa style: `/v1/jobs/:id`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** `none`: public; `optional`: anonymous callers allowed (tier limits); `required`: an API key. */
  auth: 'none' | 'optional' | 'required';
  path_params?: P;
  query?: Q;
  /** Request headers beyond Authorization (Idempotency-Key, Prefer). */
  headers?: z.ZodObject;
  /**
   * `json`: an application/json body; `form`: multipart/form-data fields (files as `z.file()`,
   * received by the upload path, the other fields validated by the route). A route may take both.
   */
  body?: { json?: J; form?: F; required?: boolean };
  responses: Record<number, ResponseSpec>;
  /** Starts inference (a job on the gpu queue): the fuzzer keeps its request volume tiny. */
  heavy?: boolean;
  /** The error shape this route answers in (default: the contract's `{"error": "..."}`). */
  errors?: 'contract' | 'openai';
}

/** Every error of the contract's routes: a human-readable `error`, machine-readable extras where useful. */
export const errorSchema = z
  .object({
    error: z.string().describe('What went wrong, in words.'),
    code: z.string().optional().describe('Machine-readable reason, e.g. `invalid_parameter`, `file_too_large`.'),
    param: z.string().optional().describe('The parameter at fault.'),
    type: z.string().optional().describe('Failure type of a failed job (invalid_media, insufficient_credits, …).'),
  })
  .catchall(z.unknown());

/** Koa's `/v1/jobs/:id` as OpenAPI's `/v1/jobs/{id}`. */
export const openApiPath = (koaPath: string) => koaPath.replace(/:(\w+)/g, '{$1}');
