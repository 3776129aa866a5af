import Router from '@koa/router';
import { z } from 'zod';
import type { Account } from '../../lib/ledger/ledger';
import type { ApiDeps } from '../deps';
import { badRequest, clip, conflict, notFound } from '../errors';
import { requireAccount } from '../middleware/auth';
import { jsonBody, jsonBodyOf } from '../middleware/json-body';

export const accountPatch = z
  .object({
    email: z.string().email().nullable().optional(),
    preferences: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const keyCreate = z.object({ name: z.string().trim().min(1).max(100).optional() }).strict();

/** zod's issues as one short sentence: key names and messages clipped (a body may carry a 64 KB key). */
function describe(issues: z.ZodError['issues']): string {
  return clip(issues.slice(0, 5).map((i) => `${clip(i.path.join('.') || 'body', 40)} ${clip(i.message, 80)}`).join('; '), 300);
}

const view = (a: Account) => ({ id: a.id, plan: a.plan, credits: a.credits, email: a.email, preferences: a.preferences, created_at: a.created_at });

/** Account REST API under /api/v1/ (trailing slashes optional): account, keys, usage. */
export function accountRoutes({ accounts, config }: Pick<ApiDeps, 'accounts' | 'config'>): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAccount());
  router.use(jsonBody({ idleMs: config.http.uploadIdleMs }));

  router.get('/account', async (ctx) => {
    ctx.body = view(ctx.state.account);
  });
  router.put('/account', async (ctx) => {
    const parsed = accountPatch.safeParse(jsonBodyOf(ctx) ?? {});
    if (!parsed.success) throw badRequest(`Invalid account update: ${describe(parsed.error.issues)}.`);
    ctx.body = view((await accounts.ledger.updateAccount(ctx.state.account.id, parsed.data))!);
  });

  router.get('/keys', async (ctx) => {
    ctx.body = { keys: await accounts.keys.list(ctx.state.account.id) };
  });
  router.post('/keys', async (ctx) => {
    const parsed = keyCreate.safeParse(jsonBodyOf(ctx) ?? {});
    if (!parsed.success) throw badRequest(`Invalid API key request: ${describe(parsed.error.issues)}.`, { code: 'invalid_parameter' });
    // Revoked keys stay listed (an audit trail) but do not count against the cap.
    const active = (await accounts.keys.list(ctx.state.account.id)).filter((k) => !k.revoked_at).length;
    const cap = config.http.maxApiKeysPerAccount;
    if (active >= cap) throw conflict(`This account already has ${active} active API keys (at most ${cap}); revoke one first.`);
    const { key, info } = await accounts.keys.create(ctx.state.account.id, parsed.data.name ?? 'default');
    ctx.status = 201;
    ctx.body = { ...info, key }; // the raw key is shown this once; only its hash is stored
  });
  router.delete('/keys/:id', async (ctx) => {
    if (!(await accounts.keys.revoke(ctx.state.account.id, ctx.params.id))) throw notFound('API key not found.');
    ctx.status = 204;
  });

  router.get('/usage', async (ctx) => {
    ctx.body = { days: 30, usage: await accounts.ledger.usage(ctx.state.account.id, 30) };
  });
  return router;
}
