/**
 * The webhook fields every job endpoint takes (multipart fields or JSON body members), read by the
 * shared submit paths (api/jobs/submit-media.ts, submit-text.ts) so every job can notify.
 */
import crypto from 'node:crypto';
import type { Context } from 'koa';
import type { Config } from '../../lib/config';
import type { ObjectStore } from '../../lib/storage';
import { webhookSecretKey } from '../../lib/webhooks/keys';
import { webhookUrlProblem } from '../../lib/webhooks/url';
import type { WebhookTarget } from '../../workflows/model';
import { badRequest } from '../errors';

/** The API's origin as this caller reached it (behind a proxy: X-Forwarded-Proto/Host when VOXFLOW_TRUST_PROXY): the payload's result_url. */
export const apiOrigin = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;

/**
 * `webhook_url` (+ optional `webhook_secret`): the URL is checked here for its shape (http(s), no
 * credentials); its addresses are checked at each delivery, when they are resolved. The secret is
 * stored, never put in the job's input (workflow histories are kept and exported).
 */
export async function readWebhook(
  /** Form fields or a JSON body (anything else carries no webhook). */
  fields: unknown,
  deps: { config: Pick<Config, 'webhooks'>; store: ObjectStore },
  apiBaseUrl: string,
): Promise<WebhookTarget | undefined> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  const { webhook_url: url, webhook_secret: secret } = fields as { webhook_url?: unknown; webhook_secret?: unknown };
  if (url === undefined || url === null || url === '') {
    if (secret !== undefined && secret !== null && secret !== '') throw badRequest('`webhook_secret` needs a `webhook_url`.', { code: 'invalid_parameter', param: 'webhook_secret' });
    return undefined;
  }
  if (typeof url !== 'string') throw badRequest('`webhook_url` must be a string.', { code: 'invalid_parameter', param: 'webhook_url' });
  const problem = webhookUrlProblem(url);
  if (problem) throw badRequest(`\`webhook_url\` ${problem}.`, { code: 'invalid_parameter', param: 'webhook_url' });
  let secretKey: string | undefined;
  if (secret !== undefined && secret !== null && secret !== '') {
    if (typeof secret !== 'string' || secret.length < 16 || secret.length > 256) {
      throw badRequest('`webhook_secret` must be a string of 16 to 256 characters.', { code: 'invalid_parameter', param: 'webhook_secret' });
    }
    // Its own id: the job id is decided later, and a repeated Idempotency-Key must not replace the first job's secret.
    secretKey = webhookSecretKey(crypto.randomUUID());
    await deps.store.put(secretKey, secret, { contentType: 'text/plain' });
  }
  const { retry, timeoutMs } = deps.config.webhooks;
  return { url, ...(secretKey ? { secretKey } : {}), apiBaseUrl, retry, timeoutMs };
}
