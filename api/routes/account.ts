import Router from '@koa/router';
import type { Account } from '../../lib/ledger/ledger';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { requireAccount } from '../middleware/auth';
import { jsonBody, jsonBodyOf } from '../middleware/json-body';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

const view = (a: Account) => ({ id: a.id, plan: a.plan, credits: a.credits, email: a.email, preferences: a.preferences, created_at: a.created_at });

/** Account REST API under /api/v1/ (trailing slashes optional): account, keys, usage. Bodies: api/params/account.ts. */
export function accountRoutes({ accounts, config }: Pick<ApiDeps, 'accounts' | 'config'>): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAccount());
  router.use(jsonBody({ idleMs: config.http.uploadIdleMs }));

  mount(router, SPECS.account, async (ctx) => {
    ctx.body = view(ctx.state.account);
  });
  mount(router, SPECS.accountUpdate, async (ctx, input) => {
    const patch = input.body(jsonBodyOf(ctx));
    ctx.body = view((await accounts.ledger.updateAccount(ctx.state.account.id, patch))!);
  });

  mount(router, SPECS.keys, async (ctx) => {
    ctx.body = { keys: await accounts.keys.list(ctx.state.account.id) };
  });
  mount(router, SPECS.keyCreate, async (ctx, input) => {
    const { name } = input.body(jsonBodyOf(ctx));
    // Revoked keys stay listed (an audit trail) but do not count against the cap.
    const active = (await accounts.keys.list(ctx.state.account.id)).filter((k) => !k.revoked_at).length;
    const cap = config.http.maxApiKeysPerAccount;
    if (active >= cap) throw conflict(`This account already has ${active} active API keys (at most ${cap}); revoke one first.`);
    const { key, info } = await accounts.keys.create(ctx.state.account.id, name ?? 'default');
    ctx.status = 201;
    ctx.body = { ...info, key }; // the raw key is shown this once; only its hash is stored
  });
  mount(router, SPECS.keyRevoke, async (ctx, input) => {
    if (!(await accounts.keys.revoke(ctx.state.account.id, input.params.id))) throw notFound('API key not found.');
    ctx.status = 204;
  });

  mount(router, SPECS.usage, async (ctx) => {
    ctx.body = { days: 30, usage: await accounts.ledger.usage(ctx.state.account.id, 30) };
  });
  return router;
}
