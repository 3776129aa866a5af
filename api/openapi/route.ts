/**
 * Mounting a route with its spec: the spec's path and query schemas validate `ctx.params` and
 * `ctx.query` before the handler runs, and the handler gets the spec's body validators (`body` for
 * JSON, `form` for multipart fields), so what /openapi.json publishes is what the route enforces.
 * A handler that answers without having parsed its body with the spec's schema (here or in the
 * shared submit paths, through `parseInput`) fails loudly instead of validating with something else;
 * test/api/openapi.test.ts checks that every Koa route was mounted this way.
 */
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { z } from 'zod';
import type { RouteSpec } from './registry';
import { parseInput, validatedWith } from './validate';

/** Where a mounted handler keeps its spec (read by the registry test). */
export const ROUTE_SPEC = Symbol.for('voxflow.routeSpec');

type Out<T, D> = T extends z.ZodType ? z.output<T> : D;

export interface RouteInput<P, Q, J, F> {
  params: Out<P, Record<string, string>>;
  query: Out<Q, Context['query']>;
  /** The JSON body (`undefined` when none was sent) parsed with the spec's `body.json`. */
  body(raw: unknown): Out<J, never>;
  /** Multipart fields (files excluded: the upload path takes them) parsed with the spec's `body.form`. */
  form(fields: Record<string, string>): Out<F, never>;
}

export type RouteHandler<P, Q, J, F> = (ctx: Context, input: RouteInput<P, Q, J, F>, next: Next) => unknown;

const FIELDS = new WeakMap<z.ZodObject, z.ZodObject>();

/** A form schema without its file parts (the multipart reader streams those to storage). */
export function formFields<F extends z.ZodObject>(form: F): z.ZodObject {
  let fields = FIELDS.get(form);
  if (!fields) {
    const files = Object.entries(form.shape).filter(([, s]) => s instanceof z.ZodFile).map(([k]) => [k, true] as const);
    fields = files.length ? ((form as z.ZodObject).omit(Object.fromEntries(files) as Record<string, true>) as unknown as z.ZodObject) : form;
    FIELDS.set(form, fields);
  }
  return fields;
}

/** Form fields as the schemas read them: an empty field is a field not given, as everywhere in the API. */
export function givenFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
}

/** Parses multipart fields with a form schema (files left out), marking the form itself as used. */
export function parseForm<F extends z.ZodObject>(form: F, fields: Record<string, string>): z.output<F> {
  validatedWith.getStore()?.add(form);
  return parseInput(formFields(form), givenFields(fields)) as z.output<F>;
}

export function mount<P extends z.ZodObject, Q extends z.ZodObject, J extends z.ZodType, F extends z.ZodObject>(
  router: Router,
  spec: RouteSpec<P, Q, J, F>,
  ...chain: [...Middleware[], RouteHandler<P, Q, J, F>]
): void {
  const handler = chain.pop() as RouteHandler<P, Q, J, F>;
  const before = chain as Middleware[];
  const prefix = String((router as unknown as { opts: { prefix?: string } }).opts.prefix ?? '');
  if (!spec.path.startsWith(prefix)) throw new Error(`${spec.path} is not under the router's prefix ${prefix}`);
  const local = spec.path.slice(prefix.length) || '/';
  const name = `${spec.method.toUpperCase()} ${spec.path}`;
  const bodySchemas = [spec.body?.json, spec.body?.form].filter((s) => s !== undefined) as z.ZodType[];

  const mounted: Middleware = (ctx, next) =>
    validatedWith.run(new Set(), async () => {
      const input: RouteInput<P, Q, J, F> = {
        params: (spec.path_params ? parseInput(spec.path_params, ctx.params) : ctx.params) as RouteInput<P, Q, J, F>['params'],
        query: (spec.query ? parseInput(spec.query, ctx.query) : ctx.query) as RouteInput<P, Q, J, F>['query'],
        body: (raw) => {
          if (!spec.body?.json) throw new Error(`${name} documents no JSON body`);
          return parseInput(spec.body.json, raw === undefined && !spec.body.required ? {} : raw) as Out<J, never>;
        },
        form: (fields) => {
          if (!spec.body?.form) throw new Error(`${name} documents no form`);
          return parseForm(spec.body.form, fields) as Out<F, never>;
        },
      };
      await handler(ctx, input, next);
      const used = validatedWith.getStore()!;
      if (bodySchemas.length && !bodySchemas.some((s) => used.has(s as z.ZodType)) && ctx.status < 300) {
        throw new Error(`${name} answered without validating its body with the schema its spec publishes`);
      }
    });
  Object.defineProperty(mounted, ROUTE_SPEC, { value: spec });
  (router[spec.method] as (path: string, ...mw: Middleware[]) => Router).call(router, local, ...before, mounted);
}
