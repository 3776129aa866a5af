/**
 * Webhook signatures, Stripe's scheme: `X-Voxflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
 * over `<t>.<raw body>` with the job's secret. The timestamp inside the signed bytes lets a receiver
 * refuse replays of an old delivery (compare `t` with its clock; 5 minutes is the usual tolerance).
 */
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Voxflow-Signature';

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: true when the header is a fresh signature of `body` with `secret`. */
export function verifySignature(header: string | undefined, secret: string, body: string, opts: { nowSeconds?: number; toleranceS?: number } = {}): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signatureHeader(secret, body, t).split('v1=')[1], 'hex');
  const got = Buffer.from(parts.v1, 'hex');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}
