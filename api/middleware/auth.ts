import { isIP } from 'node:net';
import type { Middleware } from 'koa';
import type { ApiDeps } from '../deps';
import { HttpError, badRequest } from '../errors';

/**
 * Who the caller is. `Authorization: Bearer <key>` selects an account (its tenant and plan); a bad
 * or revoked key is a 401, never a silent downgrade. No header: anonymous, scoped by client IP
 * (`ctx.ip` honours X-Forwarded-For only when VOXFLOW_TRUST_PROXY is on).
 */
export function authenticate({ accounts }: Pick<ApiDeps, 'accounts'>): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (!header) {
      // The IP becomes a tenant id (a search attribute on every job): with a trusted proxy it comes from
      // X-Forwarded-For, so anything but an address is refused rather than carried along.
      if (!isIP(ctx.ip)) throw badRequest('The client address (X-Forwarded-For) is not an IP address.', { code: 'invalid_client_ip' });
      ctx.state.tenant = `anon:${ctx.ip}`;
      ctx.state.plan = 'anonymous';
      return next();
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const accountId = m ? await accounts.keys.authenticate(m[1]) : undefined;
    const account = accountId ? await accounts.ledger.account(accountId) : undefined;
    if (!account) throw new HttpError(401, 'Invalid or revoked API key.', {}, { 'WWW-Authenticate': 'Bearer' });
    ctx.state.account = account;
    ctx.state.tenant = account.tenant;
    ctx.state.plan = account.plan;
    return next();
  };
}

export function requireAccount(): Middleware {
  return async (ctx, next) => {
    if (!ctx.state.account) throw new HttpError(401, 'This endpoint needs an API key: Authorization: Bearer <key>.', {}, { 'WWW-Authenticate': 'Bearer' });
    return next();
  };
}
