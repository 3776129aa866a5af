import type { Middleware } from 'koa';

/**
 * Who the caller is. Until API keys land (accounts issue) every caller is anonymous and scoped by
 * client IP (`ctx.ip` honours X-Forwarded-For only when VOXFLOW_TRUST_PROXY is on), so one IP
 * cannot read another's jobs.
 */
export function anonymousTenant(): Middleware {
  return async (ctx, next) => {
    ctx.state.tenant = `anon:${ctx.ip}`;
    await next();
  };
}
