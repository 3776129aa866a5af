/**
 * Who opens a stream. Browsers cannot set headers on a WebSocket, so besides `Authorization: Bearer`
 * the key may come as `?token=` or `?api_key=` (the URL is never logged: see api/stream/attach.ts).
 * Same rules as api/middleware/auth.ts: a bad key is refused, never downgraded; no key is anonymous
 * by client IP.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Plan } from '../../lib/accounts/limits';
import type { Account } from '../../lib/ledger/ledger';
import type { ApiDeps } from '../deps';
import { CloseCode, StreamError } from './close-codes';

export interface Caller {
  tenant: string;
  plan: Plan;
  account?: Account;
  ip: string;
}

export function streamKey(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : '';
  }
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  return q.get('token') ?? q.get('api_key') ?? undefined;
}

/** The client address as Koa's ctx.ip gives it (X-Forwarded-For only behind a trusted proxy). */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const fwd = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
  return fwd || req.socket.remoteAddress || '';
}

export async function identify(req: IncomingMessage, deps: Pick<ApiDeps, 'accounts'>, trustProxy: boolean): Promise<Caller> {
  const ip = clientIp(req, trustProxy);
  const key = streamKey(req);
  if (key === undefined) {
    if (!isIP(ip)) throw new StreamError(CloseCode.Policy, 'The client address (X-Forwarded-For) is not an IP address.');
    return { tenant: `anon:${ip}`, plan: 'anonymous', ip };
  }
  const accountId = key ? await deps.accounts.keys.authenticate(key) : undefined;
  const account = accountId ? await deps.accounts.ledger.account(accountId) : undefined;
  if (!account) throw new StreamError(CloseCode.Policy, 'Invalid or revoked API key.');
  return { tenant: account.tenant, plan: account.plan as Plan, account, ip };
}
