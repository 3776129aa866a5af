import Router from '@koa/router';
import { z } from 'zod';
import type { Account } from '../../lib/ledger/ledger';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../errors';
import { requireAccount } from '../middleware/auth';

const accountPatch = z
  .object({
    email: z.string().email().nullable().optional(),
    preferences: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const view = (a: Account) => ({ id: a.id, plan: a.plan, credits: a.credits, email: a.email, preferences: a.preferences, created_at: a.created_at });

/** Account REST API under /api/v1/ (trailing slashes optional): account, keys, usage. */
export function accountRoutes({ accounts }: Pick<ApiDeps, 'accounts'>): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAccount());

  router.get('/account', async (ctx) => {
    ctx.body = view(ctx.state.account);
  });
  router.put('/account', async (ctx) => {
    const parsed = accountPatch.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw badRequest(`Invalid account update: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}.`);
    ctx.body = view((await accounts.ledger.updateAccount(ctx.state.account.id, parsed.data))!);
  });

  router.get('/keys', async (ctx) => {
    ctx.body = { keys: await accounts.keys.list(ctx.state.account.id) };
  });
  router.post('/keys', async (ctx) => {
    const name = String((ctx.request.body as { name?: unknown } | undefined)?.name ?? 'default').slice(0, 100);
    const { key, info } = await accounts.keys.create(ctx.state.account.id, name);
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
