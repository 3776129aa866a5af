/**
 * JSON request bodies for the account API: a body must say it is JSON (415 otherwise), fit the
 * limit (413 the moment it is crossed, saying so), arrive without stalling (408) and parse (400).
 * Messages are ours: parser internals and the body itself are never echoed.
 */
import type { Context, Middleware } from 'koa';
import { HttpError, badRequest, payloadTooLarge, unsupportedMediaType } from '../errors';
import { closeAfterRejection, consumeBody } from '../request-body';

export const JSON_BODY_LIMIT_BYTES = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(ctx: Context): boolean {
  const h = ctx.req.headers;
  return h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
}

/** The parsed body (undefined when the request had none). */
export function jsonBodyOf(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body;
}

export function jsonBody(opts: { idleMs: number; limitBytes?: number }): Middleware {
  const limit = opts.limitBytes ?? JSON_BODY_LIMIT_BYTES;
  const tooLarge = () => payloadTooLarge(`The JSON body is larger than ${Math.round(limit / 1024)} KB.`, { code: 'body_too_large' });
  return async (ctx, next) => {
    if (!WITH_BODY.has(ctx.method) || !hasBody(ctx)) return next();
    try {
      if (!ctx.is('application/json', '+json')) throw unsupportedMediaType('Send the request body as JSON (Content-Type: application/json).');
      const declared = Number(ctx.get('Content-Length'));
      if (Number.isFinite(declared) && declared > limit) throw tooLarge();
      const chunks: Buffer[] = [];
      await consumeBody(ctx.req, { idleMs: opts.idleMs, maxBytes: limit, tooLarge }, (c) => void chunks.push(c));
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        (ctx.request as { body?: unknown }).body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        throw badRequest('The request body is not valid JSON.', { code: 'invalid_json' });
      }
    } catch (err) {
      closeAfterRejection(ctx, { immediately: err instanceof HttpError && err.status === 408 });
      throw err;
    }
    return next();
  };
}
