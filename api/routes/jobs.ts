import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { clip, notFound } from '../errors';
import { ObjectNotFoundError } from '../../lib/storage';
import { isJobId } from '../jobs/ids';
import type { JobService } from '../jobs/service';
import { sendResult } from '../jobs/send-output';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/** Submit-and-poll: GET /v1/jobs/:id (status, per-step progress, result), its output, cancel and delete. */
export function jobRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  router.param('id', async (id, ctx, next) => {
    if (!isJobId(id)) throw notFound('Job not found.');
    return next();
  });
  // Mounted with their specs: `id` and the result's `step`/`format` are parsed with the published schemas (api/params/queries.ts).
  mount(router, SPECS.job, async (ctx, { params }) => {
    ctx.body = await jobs.view(params.id, ctx.state.tenant);
  });
  mount(router, SPECS.jobResult, async (ctx, { params, query }) => {
    const view = await jobs.view(params.id, ctx.state.tenant);
    if (!view.result) {
      ctx.status = 409;
      ctx.body = { error: `The job is ${view.status}; its result is not available.`, status: view.status };
      return;
    }
    // A recipe stores each step's result: ?step=<name> picks one (its first output; ?format= renders a transcript).
    let result = view.result;
    if (query.step !== undefined) {
      const step = query.step;
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
  mount(router, SPECS.jobDelete, async (ctx, { params }) => {
    await jobs.purge(await jobs.view(params.id, ctx.state.tenant), deps.store);
    ctx.status = 204;
  });
  mount(router, SPECS.jobCancel, async (ctx, { params }) => {
    await jobs.cancel(params.id, ctx.state.tenant);
    ctx.status = 202;
    ctx.body = { id: params.id, status: 'cancelling' };
  });
  return router;
}
