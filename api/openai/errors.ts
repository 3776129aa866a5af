/**
 * The OpenAI-compatible routes answer failures in OpenAI's error shape,
 * `{"error": {"message", "type", "param", "code"}}`, so the official openai SDKs raise their typed
 * errors with our message (they read `error.message`). The contract's own routes keep `{"error": "..."}`.
 *
 * Placed outside the error handler: that one maps and logs every failure once (api/errors.ts);
 * this only reshapes the body it rendered, for OpenAI's paths.
 */
import type { Middleware } from 'koa';

/** OpenAI's routes here: the audio API and GET /v1/models/:id (the list itself is the contract's too). */
export const isOpenAiPath = (path: string) => path.startsWith('/v1/audio/') || /^\/v1\/models\/[^/]+$/.test(path);

/** OpenAI's `type` per status (what its API sends, so client code that branches on it works). */
export function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toOpenAiError(status: number, body: { error: string; code?: unknown; param?: unknown }): OpenAiErrorBody {
  return {
    error: {
      message: body.error,
      type: openaiErrorType(status),
      param: typeof body.param === 'string' ? body.param : null,
      code: typeof body.code === 'string' ? body.code : null,
    },
  };
}

export function openaiErrorShape(): Middleware {
  return async (ctx, next) => {
    await next();
    if (!isOpenAiPath(ctx.path) || ctx.status < 400) return;
    const body = ctx.body as { error?: unknown } | null;
    if (body && typeof body === 'object' && typeof body.error === 'string') {
      const status = ctx.status;
      ctx.body = toOpenAiError(status, body as { error: string });
      ctx.status = status;
    }
  };
}
