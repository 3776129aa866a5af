/**
 * Methods no route of the API implements (TRACE, CONNECT, PROPFIND…) are the client's mistake, not
 * the server's: 405 with the methods the API does use, instead of the router's 501 (a 5xx that
 * monitoring counts as a server fault, and that schemathesis rightly flagged).
 */
import type { Middleware } from 'koa';
import { HttpError, clip } from '../errors';
import { CORS_ALLOWED_METHODS } from './cors';

const KNOWN = new Set(CORS_ALLOWED_METHODS);

export function knownMethods(): Middleware {
  return async (ctx, next) => {
    if (!KNOWN.has(ctx.method)) {
      throw new HttpError(405, `${clip(ctx.method, 20)} is not a method this API implements; it uses ${CORS_ALLOWED_METHODS.join(', ')}.`, {}, { Allow: CORS_ALLOWED_METHODS.join(', ') });
    }
    return next();
  };
}
