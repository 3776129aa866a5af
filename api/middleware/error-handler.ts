import type { Middleware } from 'koa';
import { toHttpError } from '../errors';

/** Renders every failure (thrown or 404 fall-through) as `{"error": ...}` JSON. */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: `No route for ${ctx.method} ${ctx.path}.` };
      }
    } catch (err) {
      const mapped = toHttpError(err);
      if (mapped.status >= 500) ctx.state.log?.error({ err }, 'request failed');
      else ctx.state.log?.info({ err: (err as Error).message, status: mapped.status }, 'request rejected');
      ctx.status = mapped.status;
      ctx.set(mapped.headers);
      ctx.body = mapped.body;
    }
  };
}
