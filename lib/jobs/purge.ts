/**
 * Deleting a finished job: its upload, its outputs and its workflow execution (history and
 * visibility record). One implementation for DELETE /v1/jobs/:id, DELETE /api/v1/transcripts/:id
 * and the retention sweep, so "deleted" means the same everywhere.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ObjectStore } from '../storage';
import { UPLOADS_ROOT, jobOutputsPrefix, type JobInput } from '../../workflows/model';

/** gRPC NOT_FOUND: the execution is gone already (deleted before, or by the namespace's own retention). */
const GRPC_NOT_FOUND = 5;

export interface PurgeTarget {
  jobId: string;
  /** The upload's key, from the job's input (uploads have their own ids, so it cannot be derived). */
  mediaKey?: string;
  /** Output keys from the job's result; normally all under `jobs/<id>/`, deleted explicitly regardless. */
  outputKeys?: string[];
}

/** The job's input as its workflow received it (the first history event): where its upload lives. */
export async function readJobInput(client: Client, jobId: string): Promise<JobInput | undefined> {
  const history = await client.workflow.getHandle(jobId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<JobInput>(payload) : undefined;
}

/** Deletes the job's objects (returns how many); safe to repeat. */
export async function deleteJobObjects(store: ObjectStore, job: PurgeTarget): Promise<number> {
  let n = 0;
  for (const key of job.outputKeys ?? []) {
    if (await store.stat(key)) n++;
    await store.delete(key);
  }
  n += await store.deletePrefix(jobOutputsPrefix(job.jobId));
  if (job.mediaKey) {
    // The upload's own folder (uploads/<upload id>/) goes with it; a key elsewhere is deleted alone.
    const folder = job.mediaKey.slice(0, job.mediaKey.lastIndexOf('/') + 1);
    if (folder.startsWith(UPLOADS_ROOT) && folder.length > UPLOADS_ROOT.length) {
      n += await store.deletePrefix(folder);
    } else {
      if (await store.stat(job.mediaKey)) n++;
      await store.delete(job.mediaKey);
    }
  }
  return n;
}

/**
 * Deletes a closed job's workflow execution, so it leaves every list and the Web UI (the server
 * does this asynchronously: the job may still be visible for up to about a minute).
 */
export async function forgetExecution(client: Client, jobId: string): Promise<void> {
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId: jobId } });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return;
    throw err;
  }
}

/** Objects first, then the execution: a crash in between leaves objects retention still finds. */
export async function purgeJob(client: Client, store: ObjectStore, job: PurgeTarget): Promise<{ objects: number }> {
  const objects = await deleteJobObjects(store, job);
  await forgetExecution(client, job.jobId);
  return { objects };
}
