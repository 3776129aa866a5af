/** The text endpoints' tests: a paid account with a key, and JSON posts against the stack's API. */
import { ApiKeys } from '../../lib/accounts/keys';
import type { Stack } from './stack';

export async function paidKeyOn(stack: Stack, tenantPrefix: string, credits: number) {
  const account = await stack.ledger.createAccount({ tenant: `${tenantPrefix}-${Math.random()}`, plan: 'paid', credits });
  const { key } = await new ApiKeys(stack.db).create(account.id, 'test');
  return { account, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } };
}

/** POSTs `body` as JSON (a string is sent as is, so malformed JSON can be tested). */
export const postJson = (stack: Stack, path: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
