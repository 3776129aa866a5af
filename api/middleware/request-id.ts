import crypto from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../lib/log';
import { clip } from '../errors';

/** Every request gets an id (or keeps a sane client one), echoed as X-Request-Id and bound to its log lines. */
export function requestId(log: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const id = /^[A-Za-z0-9._-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = log.child({ requestId: id });
    ctx.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info({ method: ctx.method, path: clip(ctx.path, 200), status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
