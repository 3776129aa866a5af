/**
 * Page tokens of the list endpoints. Temporal's own tokens are opaque bytes that its server trusts:
 * a forged one costs a 17 s retry loop and a 500 (measured). So the token a client gets is Temporal's
 * sealed with an HMAC over the query it belongs to; anything else, or a token used with another
 * query or tenant, is refused with a 400 before Temporal sees it.
 */
import crypto from 'node:crypto';
import { badRequest } from '../errors';

const MAC_BYTES = 16;
/** Far above any real token; bounds the work a hostile value can cause. */
const MAX_TOKEN_CHARS = 8192;

export const badPageToken = () =>
  badRequest('`page_token` is not valid: pass the `next_page_token` of the previous page (with the same filters).', {
    code: 'invalid_parameter',
    param: 'page_token',
  });

export class PageTokens {
  private readonly key: Buffer;
  /** Without a configured key tokens are valid for this process's lifetime (a restart: 400, list again). */
  constructor(key?: string) {
    this.key = key ? Buffer.from(key, 'utf8') : crypto.randomBytes(32);
  }

  seal(scope: string, token: Uint8Array): string {
    return Buffer.concat([this.mac(scope, token), Buffer.from(token)]).toString('base64url');
  }

  /** Temporal's token inside a sealed one; a 400 for anything we did not hand out for this scope. */
  open(scope: string, sealed: string): Buffer {
    if (sealed.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(sealed)) throw badPageToken();
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= MAC_BYTES) throw badPageToken();
    const token = raw.subarray(MAC_BYTES);
    if (!crypto.timingSafeEqual(raw.subarray(0, MAC_BYTES), this.mac(scope, token))) throw badPageToken();
    return token;
  }

  private mac(scope: string, token: Uint8Array): Buffer {
    return crypto.createHmac('sha256', this.key).update(scope).update('\0').update(token).digest().subarray(0, MAC_BYTES);
  }
}
