/**
 * JSON request bodies for the account API, parsed by koa-body: a body must say it is JSON (415
 * otherwise), fit the limit (413, checked on the declared length first and by the parser as bytes
 * arrive), arrive without stalling (408) and parse (400). Messages are ours: parser internals and
 * the body itself are never echoed.
 */
import type { Context, Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { HttpError, badRequest, payloadTooLarge, unsupportedMediaType } from '../errors';
import { closeAfterRejection, stalled } from '../request-body';

export const JSON_BODY_LIMIT_BYTES = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(ctx: Context): boolean {
  const h = ctx.req.headers;
  return h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
}

/** The parsed body (undefined when the request had none). */
export function jsonBodyOf(ctx: Context): unknown {
  const body = (ctx.request as { body?: unknown }).body;
  // koa-body leaves `{}` for an empty body; the routes treat "no body" and `{}` alike.
  return body;
}

export function jsonBody(opts: { idleMs: number; limitBytes?: number }): Middleware {
  const limit = opts.limitBytes ?? JSON_BODY_LIMIT_BYTES;
  const tooLarge = () => payloadTooLarge(`The JSON body is larger than ${Math.round(limit / 1024)} KB.`, { code: 'body_too_large' });
  const parse = koaBody({ json: true, multipart: false, urlencoded: false, text: false, jsonLimit: limit, jsonStrict: true });
  return async (ctx, next) => {
    if (!WITH_BODY.has(ctx.method) || !hasBody(ctx)) return next();
    let timedOut = false;
    let parsing = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // Only while the parser listens: an 'error' with no listener would crash the process.
        if (!parsing || ctx.req.listenerCount('error') === 0) return;
        timedOut = true;
        ctx.req.emit('error', stalled(opts.idleMs));
      }, opts.idleMs);
    };
    const stop = () => {
      parsing = false;
      clearTimeout(timer);
      ctx.req.off('data', arm);
    };
    try {
      if (!ctx.is('application/json', '+json')) throw unsupportedMediaType('Send the request body as JSON (Content-Type: application/json).');
      const declared = Number(ctx.get('Content-Length'));
      if (Number.isFinite(declared) && declared > limit) throw tooLarge();
      // The parser has no idle timeout: a body with no byte for idleMs is failed through the
      // stream's own error path, so the parser lets go of it and we answer 408.
      parsing = true;
      ctx.req.on('data', arm);
      arm();
      let reached = false;
      await parse(ctx, async () => {
        reached = true;
      }).catch((err: unknown) => {
        throw translate(err, timedOut, opts.idleMs, tooLarge);
      });
      stop();
      if (!reached) throw badRequest('The request body is not valid JSON.', { code: 'invalid_json' });
    } catch (err) {
      stop();
      closeAfterRejection(ctx, { immediately: err instanceof HttpError && err.status === 408 });
      throw err;
    }
    return next();
  };
}

/** koa-body (raw-body / co-body) errors carry a status; the words are ours. */
function translate(err: unknown, timedOut: boolean, idleMs: number, tooLarge: () => HttpError): HttpError {
  if (timedOut) return stalled(idleMs);
  if (err instanceof HttpError) return err;
  const status = (err as { status?: number }).status;
  if (status === 413) return tooLarge();
  if (status === 415) return unsupportedMediaType('Send the request body as JSON (Content-Type: application/json).');
  if ((err as { type?: string }).type === 'request.aborted') return new HttpError(400, 'The request body was interrupted before it was complete.', { code: 'incomplete_body' });
  return badRequest('The request body is not valid JSON.', { code: 'invalid_json' });
}
