/**
 * The webhook fields every job endpoint takes (multipart fields or JSON body members), read by the
 * shared submit paths (api/jobs/submit-media.ts, submit-text.ts) so every job can notify.
 */
import crypto from 'node:crypto';
import type { Context } from 'koa';
import type { Config } from '../../lib/config';
import type { ObjectStore } from '../../lib/storage';
import { webhookSecretKey } from '../../lib/webhooks/keys';
import { MAX_WEBHOOK_URL, webhookUrlProblem } from '../../lib/webhooks/url';
import type { WebhookTarget } from '../../workflows/model';
import { z } from 'zod';
import { badRequest } from '../errors';
import { parseInput } from '../openapi/validate';

const SECRET_WORDS = '`webhook_secret` must be a string of 16 to 256 characters.';

/** The webhook fields of every job endpoint's body or form (spread into each route's published schema). */
export const webhookFields = {
  // Its shape (absolute http(s), no credentials, bounded) here; its addresses at each delivery, when they are resolved.
  webhook_url: z
    .string()
    .refine((v) => v === '' || !webhookUrlProblem(v), { error: (iss) => `\`webhook_url\` ${webhookUrlProblem(String(iss.input))}.` })
    .meta({ format: 'uri', maxLength: MAX_WEBHOOK_URL, description: 'http(s) URL notified (POST, JSON, signed with `webhook_secret`) when the job ends.' })
    .nullish(),
  // '' is "not given", as in a form.
  webhook_secret: z
    .string({ error: SECRET_WORDS })
    .refine((v) => v === '' || (v.length >= 16 && v.length <= 256), { error: SECRET_WORDS })
    .nullish()
    .describe('16 to 256 characters: signs each delivery (HMAC-SHA256); stored, never echoed.'),
};
const webhookSchema = z.looseObject(webhookFields);

/** The API's origin as this caller reached it (behind a proxy: X-Forwarded-Proto/Host when VOXFLOW_TRUST_PROXY): the payload's result_url. */
export const apiOrigin = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;

/**
 * `webhook_url` (+ optional `webhook_secret`), parsed with the fields' published schema (the URL's
 * shape: http(s), no credentials); its addresses are checked at each delivery, when they are resolved. The secret is
 * stored, never put in the job's input (workflow histories are kept and exported).
 */
export async function readWebhook(
  /** Form fields or a JSON body (anything else carries no webhook). */
  fields: unknown,
  deps: { config: Pick<Config, 'webhooks'>; store: ObjectStore },
  apiBaseUrl: string,
): Promise<WebhookTarget | undefined> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  // Empty strings are "not given", as in every form.
  const given = Object.fromEntries(Object.entries(fields).filter(([k, v]) => k.startsWith('webhook_') && v !== ''));
  const { webhook_url: url, webhook_secret: secret } = parseInput(webhookSchema, given);
  if (url === undefined || url === null) {
    if (secret) throw badRequest('`webhook_secret` needs a `webhook_url`.', { code: 'invalid_parameter', param: 'webhook_secret' });
    return undefined;
  }
  let secretKey: string | undefined;
  if (secret) {
    // Its own id: the job id is decided later, and a repeated Idempotency-Key must not replace the first job's secret.
    secretKey = webhookSecretKey(crypto.randomUUID());
    await deps.store.put(secretKey, secret, { contentType: 'text/plain' });
  }
  const { retry, timeoutMs } = deps.config.webhooks;
  return { url, ...(secretKey ? { secretKey } : {}), apiBaseUrl, retry, timeoutMs };
}
