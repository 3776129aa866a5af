import type { Middleware } from 'koa';
import { clip, statusMessage, toHttpError } from '../errors';
import { closeAfterRejection } from '../request-body';

/**
 * Renders every failure as `{"error": ...}` JSON: thrown errors, the 404 fall-through, and the plain
 * text answers framework defaults leave behind (the router's 405 and 501 with their Allow header).
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status >= 400 && !isJsonBody(ctx.body)) {
        const status = ctx.status;
        const error =
          status === 404
            ? `No route for ${ctx.method} ${clip(ctx.path)}.`
            : status === 405
              ? `${ctx.method} is not allowed on ${clip(ctx.path)}${ctx.response.get('Allow') ? `; allowed: ${ctx.response.get('Allow')}` : ''}.`
              : statusMessage(status);
        ctx.body = { error };
        ctx.status = status; // setting a body resets a 404 to 200 otherwise
      }
    } catch (err) {
      const mapped = toHttpError(err);
      // A 503 is an outage we already know about (Temporal down, pool busy): one line, no stack per request.
      if (mapped.status === 503) ctx.state.log?.warn({ err: clip((err as Error).message ?? String(err), 300), status: 503 }, 'request refused: service unavailable');
      else if (mapped.status >= 500) ctx.state.log?.error({ err }, 'request failed');
      else ctx.state.log?.info({ err: clip((err as Error).message ?? String(err), 300), status: mapped.status }, 'request rejected');
      ctx.status = mapped.status;
      ctx.set(mapped.headers);
      ctx.body = mapped.body;
      // Refused before its body was read (401, 402, 429 on an upload…): the body must not keep the connection.
      closeAfterRejection(ctx);
    }
  };
}

/** Objects (not streams or buffers) are rendered as JSON by Koa. */
function isJsonBody(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';
}
