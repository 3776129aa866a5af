import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

const CHECK_TIMEOUT_MS = 1000;

const withTimeout = <T>(p: Promise<T>, ms = CHECK_TIMEOUT_MS) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/**
 * The truth an operator needs: GPU present or not, Temporal reachable, storage reachable, and
 * how many live workers serve each queue. 200 when jobs can run end to end, 503 otherwise.
 * Answers within about a second whatever is down: Temporal's state comes from the server's
 * background probe, and workers are counted from their own heartbeats in the database (they
 * vanish within seconds of a worker dying, where Temporal's poller list lags by a minute).
 */
export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  mount(router, SPECS.health, async (ctx) => {
    const { config, temporal, store, liveness } = deps;
    const t = config.temporal;
    const temporalError = async (): Promise<string | null> => {
      if (deps.temporalAvailability) return deps.temporalAvailability.reachable ? null : (deps.temporalAvailability.error ?? 'unreachable');
      return withTimeout(temporal.workflowService.getSystemInfo({})).then(() => null, (err: Error) => err.message);
    };
    const live = (queue: string, kind: 'workflow' | 'activity') => withTimeout(liveness.live(queue, kind)).catch(() => 0);
    const [gpu, temporalCheck, storageCheck, workflowPollers, controlPollers, gpuPollers] = await Promise.all([
      deps.gpu(),
      temporalError(),
      withTimeout(store.ping()).then(() => null, (err: Error) => err.message),
      live(t.taskQueues.control, 'workflow'),
      live(t.taskQueues.control, 'activity'),
      live(t.taskQueues.gpu, 'activity'),
    ]);
    const ok = !temporalCheck && !storageCheck && workflowPollers > 0 && controlPollers > 0 && gpuPollers > 0;
    ctx.status = ok ? 200 : 503;
    if (!ok) ctx.set('Retry-After', '5');
    ctx.body = {
      status: ok ? 'ok' : 'degraded',
      ...(ok ? {} : { error: reason(temporalCheck, storageCheck, workflowPollers && controlPollers, gpuPollers) }),
      gpu_available: gpu.available,
      gpu_name: gpu.name,
      gpu_memory_mb: gpu.memoryMb,
      temporal: {
        reachable: !temporalCheck,
        address: t.address,
        namespace: t.namespace,
        ui_url: t.uiUrl ?? null,
        ...(temporalCheck ? { error: temporalCheck } : {}),
      },
      storage: { kind: store.kind, reachable: !storageCheck, ...(storageCheck ? { error: storageCheck } : {}) },
      workers: {
        control: { task_queue: t.taskQueues.control, workflow_pollers: workflowPollers, activity_pollers: controlPollers },
        gpu: { task_queue: t.taskQueues.gpu, activity_pollers: gpuPollers },
      },
    };
  });
  return router;
}

/** Every non-200 answer carries `error`, like every other error of the API. */
function reason(temporal: string | null, storage: string | null, control: number, gpu: number): string {
  if (temporal) return 'Temporal is unreachable.';
  if (storage) return 'Storage is unreachable.';
  if (!control) return 'No live worker on the control queue.';
  if (!gpu) return 'No live worker on the gpu queue.';
  return 'Degraded.';
}
