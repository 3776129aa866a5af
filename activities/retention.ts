/**
 * The retention sweep (run by the retention schedule, workflows/retention.ts): deletes what finished
 * jobs left once they are older than the policy, and objects no job refers to (an upload whose job
 * never started, outputs of a job whose execution is gone, partial writes of a killed process) after
 * a grace period. Works from the
 * store's own listing, so local disk and MinIO behave alike.
 *
 * Scope: executions are read from the whole namespace (any voxflow job may own an upload: nothing is
 * called orphaned that some job still refers to), but only jobs of this worker's task queue are
 * deleted, so deployments that share a namespace never delete each other's jobs.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ActivityDeps } from './deps';
import { forgetExecution, deleteJobObjects, readJobInput } from '../lib/jobs/purge';
import type { ListedObject, ObjectStore } from '../lib/storage';
import { OUTPUTS_ROOT, UPLOADS_ROOT } from '../workflows/model';
import { RECIPE_WORKFLOWS } from '../workflows/recipes';

export interface RetentionPolicy {
  /** Days a succeeded job's upload and results are kept after it ended; 0 keeps them forever. */
  days: number;
  /** The same for failed, cancelled, terminated and timed-out jobs; 0 keeps them forever. */
  failedDays: number;
  /** Objects no job refers to are deleted once they are older than this. */
  orphanGraceHours: number;
}

export interface RetentionSweepInput extends RetentionPolicy {
  /** The sweep's clock (ISO 8601): the workflow's time, or a moment a test or an operator picks. */
  asOf: string;
}

export interface RetentionSweepResult {
  /** Finished jobs past their retention: objects and execution deleted. */
  expiredJobs: string[];
  /** Upload and output folders that no job refers to, deleted after the grace period. */
  orphanFolders: string[];
  objectsDeleted: number;
  /** Partial writes abandoned before the grace period (a process killed mid-upload). */
  incompleteWrites: number;
}

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const DAY_MS = 86_400_000;

interface KnownJob {
  jobId: string;
  mediaKey?: string;
  closedAt?: Date;
  succeeded: boolean;
  ours: boolean;
}

export function createRetentionActivities(deps: Pick<ActivityDeps, 'store' | 'log'>) {
  return {
    async sweepStorage(input: RetentionSweepInput): Promise<RetentionSweepResult> {
      const ctx = Context.current();
      return sweep(ctx.client, deps.store, ctx.info.taskQueue, input, (d) => ctx.heartbeat(d), deps.log);
    },
  };
}

export async function sweep(
  client: Client,
  store: ObjectStore,
  taskQueue: string,
  input: RetentionSweepInput,
  heartbeat: (details: unknown) => void,
  log?: ActivityDeps['log'],
): Promise<RetentionSweepResult> {
  const now = new Date(input.asOf).getTime();
  if (Number.isNaN(now)) throw new Error(`asOf is not a date: ${input.asOf}`);
  const cutoff = (days: number) => (days > 0 ? now - days * DAY_MS : -Infinity);
  const keptUntil = { succeeded: cutoff(input.days), failed: cutoff(input.failedDays) };
  const orphanBefore = now - input.orphanGraceHours * 3600_000;

  const jobs = new Map<string, KnownJob>();
  for await (const job of listJobs(client, taskQueue)) {
    jobs.set(job.jobId, job);
    heartbeat({ phase: 'list', jobs: jobs.size });
  }
  const referenced = new Set<string>();
  const result: RetentionSweepResult = { expiredJobs: [], orphanFolders: [], objectsDeleted: 0, incompleteWrites: 0 };
  for (const job of jobs.values()) {
    const limit = job.succeeded ? keptUntil.succeeded : keptUntil.failed;
    if (job.ours && job.closedAt && job.closedAt.getTime() < limit) {
      result.objectsDeleted += await deleteJobObjects(store, job);
      await forgetExecution(client, job.jobId);
      result.expiredJobs.push(job.jobId);
      heartbeat({ phase: 'expire', done: result.expiredJobs.length });
    } else if (job.mediaKey) {
      referenced.add(job.mediaKey);
    }
  }
  const expired = new Set(result.expiredJobs);

  // uploads/<upload id>/…: an orphan when no job's input names a key in it.
  for await (const folder of folders(store, UPLOADS_ROOT)) {
    if (folder.objects.some((o) => referenced.has(o.key)) || folder.newest > orphanBefore) continue;
    result.objectsDeleted += await store.deletePrefix(folder.prefix);
    result.orphanFolders.push(folder.prefix);
    heartbeat({ phase: 'orphans', done: result.orphanFolders.length });
  }
  // jobs/<job id>/…: an orphan when the job's execution is gone (or was just expired above).
  for await (const folder of folders(store, OUTPUTS_ROOT)) {
    const jobId = folder.prefix.slice(OUTPUTS_ROOT.length, -1);
    if ((jobs.has(jobId) && !expired.has(jobId)) || folder.newest > orphanBefore) continue;
    result.objectsDeleted += await store.deletePrefix(folder.prefix);
    result.orphanFolders.push(folder.prefix);
    heartbeat({ phase: 'orphans', done: result.orphanFolders.length });
  }
  result.incompleteWrites = await store.sweepIncomplete(new Date(orphanBefore));
  log?.info({ expired: result.expiredJobs.length, orphans: result.orphanFolders.length, objects: result.objectsDeleted, incomplete: result.incompleteWrites }, 'retention sweep');
  return result;
}

/** Every voxflow job in the namespace (any status), with its upload key (memo, else the job's input). */
async function* listJobs(client: Client, taskQueue: string): AsyncIterable<KnownJob> {
  const recipes = Object.keys(RECIPE_WORKFLOWS).map((r) => `'${r}'`).join(', ');
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: `VoxflowRecipe IN (${recipes})`,
      pageSize: 1000,
      nextPageToken,
    });
    for (const e of res.executions ?? []) {
      const jobId = e.execution?.workflowId;
      if (!jobId) continue;
      const memo = e.memo?.fields?.mediaKey;
      const ours = e.taskQueue === taskQueue;
      // Jobs started before the memo carried the key (or not through the API): read it from the input.
      let mediaKey = memo ? defaultPayloadConverter.fromPayload<string>(memo) : undefined;
      if (!mediaKey) mediaKey = (await readJobInput(client, jobId).catch(() => undefined))?.mediaKey;
      const closed = e.status !== Status.WORKFLOW_EXECUTION_STATUS_RUNNING && e.status !== Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
      const closedAt = closed && e.closeTime?.seconds ? new Date(Number(e.closeTime.seconds) * 1000 + Math.floor((e.closeTime.nanos ?? 0) / 1e6)) : undefined;
      yield { jobId, mediaKey, closedAt, succeeded: e.status === Status.WORKFLOW_EXECUTION_STATUS_COMPLETED, ours };
    }
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken);
}

/** The store's objects under `root`, grouped by their first folder (`root<id>/`), in key order. */
async function* folders(store: ObjectStore, root: string): AsyncIterable<{ prefix: string; objects: ListedObject[]; newest: number }> {
  let current: { prefix: string; objects: ListedObject[]; newest: number } | undefined;
  for await (const o of store.list(root)) {
    const slash = o.key.indexOf('/', root.length);
    if (slash < 0) continue; // a stray object right under the root: not a job's
    const prefix = o.key.slice(0, slash + 1);
    if (current && current.prefix !== prefix) yield current;
    if (!current || current.prefix !== prefix) current = { prefix, objects: [], newest: 0 };
    current.objects.push(o);
    current.newest = Math.max(current.newest, o.modifiedAt.getTime());
  }
  if (current) yield current;
}
