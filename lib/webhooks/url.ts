/** What a `webhook_url` may be (checked at submit; the address itself is checked at each delivery). */
export const MAX_WEBHOOK_URL = 2048;

/** Undefined when acceptable; otherwise why not. */
export function webhookUrlProblem(raw: string): string | undefined {
  if (raw.length > MAX_WEBHOOK_URL) return `is longer than ${MAX_WEBHOOK_URL} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry credentials (use `webhook_secret` to authenticate deliveries)';
  if (!url.hostname) return 'has no host';
  return undefined;
}
