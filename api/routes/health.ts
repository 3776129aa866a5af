import Router from '@koa/router';
import { temporal as proto } from '@temporalio/proto';
import type { ApiDeps } from '../deps';

/** Pollers seen this recently count as live workers. */
const POLLER_FRESH_MS = 70_000;
const CHECK_TIMEOUT_MS = 3000;

const withTimeout = <T>(p: Promise<T>, ms = CHECK_TIMEOUT_MS) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms))]);

/**
 * The truth an operator needs: GPU present or not, Temporal reachable, storage reachable, and
 * how many workers poll each queue. 200 when jobs can run end to end, 503 otherwise.
 */
export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const { config, temporal, store } = deps;
    const t = config.temporal;
    const [gpu, temporalCheck, storageCheck] = await Promise.all([
      deps.gpu(),
      withTimeout(temporal.workflowService.getSystemInfo({})).then(() => null, (err: Error) => err.message),
      withTimeout(store.ping()).then(() => null, (err: Error) => err.message),
    ]);
    const pollers = async (name: string, type: proto.api.enums.v1.TaskQueueType) => {
      if (temporalCheck) return 0;
      const res = await withTimeout(
        temporal.workflowService.describeTaskQueue({ namespace: t.namespace, taskQueue: { name }, taskQueueType: type }),
      ).catch(() => null);
      const now = Date.now();
      return (res?.pollers ?? []).filter((p) => {
        const seen = p.lastAccessTime?.seconds ? Number(p.lastAccessTime.seconds) * 1000 : 0;
        return now - seen < POLLER_FRESH_MS;
      }).length;
    };
    const T = proto.api.enums.v1.TaskQueueType;
    const [workflowPollers, controlPollers, gpuPollers] = await Promise.all([
      pollers(t.taskQueues.control, T.TASK_QUEUE_TYPE_WORKFLOW),
      pollers(t.taskQueues.control, T.TASK_QUEUE_TYPE_ACTIVITY),
      pollers(t.taskQueues.gpu, T.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    const ok = !temporalCheck && !storageCheck && workflowPollers > 0 && controlPollers > 0 && gpuPollers > 0;
    ctx.status = ok ? 200 : 503;
    ctx.body = {
      status: ok ? 'ok' : 'degraded',
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
