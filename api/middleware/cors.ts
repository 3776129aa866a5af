/**
 * CORS for browser pages on other origins. Origins are allowed by configuration only
 * (VOXFLOW_CORS_ORIGINS; none by default, `*` explicitly). It runs before authentication so a
 * preflight (which by the Fetch standard never carries credentials) is answered without a key,
 * and before the error handler so error answers carry the same headers: a browser hides a 401 or
 * 429 without them and the page only sees "network error".
 */
import type { Middleware } from 'koa';

/** Methods the API routes use. */
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Request headers a page may send beyond the CORS-safelisted ones. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer', 'X-Request-Id'];

/**
 * Response headers a page may read (everything the API sets beyond the safelisted ones). Kept in
 * step with the routes by test/api/cors.test.ts, which greps api/ for the headers we set.
 */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-Job-Id',
  'X-Model',
  'X-Duration',
  'X-Generation-Time',
  'X-Voice',
  'X-Voice-Cloned',
  'X-Sample-Rate',
  'X-Denoise',
  'X-Loudness',
  // POST /v1/tts streamed: whether it was, and which trailers (X-Duration, X-Generation-Time) follow the body.
  'X-Streamed',
  'Trailer',
  'Retry-After',
  'Location',
  'Content-Disposition',
  'WWW-Authenticate',
];

/** How long a browser may cache a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

export function cors(allowedOrigins: readonly string[]): Middleware {
  const any = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins.map((o) => o.toLowerCase()));
  return async (ctx, next) => {
    // The answer depends on Origin whenever CORS is configured: caches must key on it.
    if (allowedOrigins.length) ctx.vary('Origin');
    const origin = ctx.get('Origin');
    const permitted = origin !== '' && (any || allowed.has(origin.toLowerCase()));
    if (!permitted) return next();

    // No cookies are used (keys travel in Authorization), so credentials mode is never needed and `*` stays valid.
    ctx.set('Access-Control-Allow-Origin', any ? '*' : origin);
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (preflight) {
      ctx.vary('Access-Control-Request-Method');
      ctx.vary('Access-Control-Request-Headers');
      ctx.set('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS.join(', '));
      ctx.set('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
      ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
    await next();
  };
}
