/**
 * One webhook delivery: resolve the host, refuse if any address it resolves to is denied
 * (address-policy.ts), then POST to the checked address itself. Pinning the connection to the
 * address that was checked closes the DNS-rebinding gap (a second lookup could answer 127.0.0.1).
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';

export class WebhookAddressDeniedError extends Error {}

export interface DeliveryResult {
  statusCode: number;
  /** The first bytes of the answer, for the job view when it is not 2xx. */
  bodySnippet: string;
}

export async function resolveChecked(hostname: string, policy: AddressPolicy): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIPv6(host) ? 6 : 4 }] : await dns.lookup(host, { all: true, verbatim: true });
  if (!addresses.length) throw new Error(`${host} does not resolve`);
  for (const a of addresses) {
    const why = policy.check(a.address);
    if (why) throw new WebhookAddressDeniedError(`webhook host ${host} resolves to ${why}; deliveries there are not allowed (VOXFLOW_WEBHOOK_ALLOW_PRIVATE)`);
  }
  return addresses[0];
}

export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: { policy: AddressPolicy; timeoutMs: number },
): Promise<DeliveryResult> {
  const url = new URL(rawUrl);
  const pinned = await resolveChecked(url.hostname, opts.policy);
  const lookup: LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
    else cb(null, pinned.address, pinned.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryResult>((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: 'POST',
        lookup,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'voxflow-webhook/1', ...headers },
        timeout: opts.timeoutMs,
      },
      (res) => {
        let snippet = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (snippet.length < 256) snippet += c.slice(0, 256 - snippet.length);
        });
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, bodySnippet: snippet }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
