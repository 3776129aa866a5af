import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { clip, notFound } from '../errors';
import { ObjectNotFoundError } from '../../lib/storage';
import { isJobId } from '../jobs/ids';
import type { JobService } from '../jobs/service';
import { sendResult } from '../jobs/send-output';

/** Submit-and-poll: GET /v1/jobs/:id (status, per-step progress, result), its output, cancel and delete. */
export function jobRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  router.param('id', async (id, ctx, next) => {
    if (!isJobId(id)) throw notFound('Job not found.');
    return next();
  });
  router.get('/v1/jobs/:id', async (ctx) => {
    ctx.body = await jobs.view(ctx.params.id, ctx.state.tenant);
  });
  router.get('/v1/jobs/:id/result', async (ctx) => {
    const view = await jobs.view(ctx.params.id, ctx.state.tenant);
    if (!view.result) {
      ctx.status = 409;
      ctx.body = { error: `The job is ${view.status}; its result is not available.`, status: view.status };
      return;
    }
    // A recipe stores each step's result: ?step=<name> picks one (its first output; ?format= renders a transcript).
    let result = view.result;
    if (ctx.query.step !== undefined) {
      const step = String(ctx.query.step);
      const outputs = result.outputs.filter((o) => o.step === step);
      if (!outputs.length) {
        const valid = [...new Set(result.outputs.map((o) => o.step).filter(Boolean))];
        throw notFound(`This job has no stored result for step '${clip(step, 32)}'. ${valid.length ? `Steps with a result: ${valid.join(', ')}.` : 'Its steps store no separate results.'}`);
      }
      result = { ...result, outputs };
    }
    await sendResult(ctx, deps.store, result).catch((err: unknown) => {
      // Deleted (DELETE /v1/jobs/:id or retention) while Temporal still lists the job for a moment.
      throw err instanceof ObjectNotFoundError ? notFound('The job’s result has been deleted.') : err;
    });
  });
  // Deletes a finished job of any recipe: its upload, its outputs and its workflow execution (409
  // while it is queued or running). The job may stay visible for about a minute: Temporal deletes
  // executions asynchronously.
  router.delete('/v1/jobs/:id', async (ctx) => {
    await jobs.purge(await jobs.view(ctx.params.id, ctx.state.tenant), deps.store);
    ctx.status = 204;
  });
  router.post('/v1/jobs/:id/cancel', async (ctx) => {
    await jobs.cancel(ctx.params.id, ctx.state.tenant);
    ctx.status = 202;
    ctx.body = { id: ctx.params.id, status: 'cancelling' };
  });
  return router;
}
