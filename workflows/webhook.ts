/**
 * Webhook delivery as its own workflow: a job notifies its receiver when it ends, and the delivery
 * may then retry for hours (exponential backoff, VOXFLOW_WEBHOOK_*), which the job itself must not
 * wait for. The job starts this workflow as an abandoned child, so the job closes at once and the
 * delivery lives on; its record (attempts, last status code) is in its memo and its query.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  defineQuery,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook';
import { webhookQueryName, webhookWorkflowId, type WebhookRecord } from '../lib/webhooks/keys';
import type { JobInput, JobStatus, TaskQueues, WebhookTarget } from './model';

export const webhookQuery = defineQuery<WebhookRecord>(webhookQueryName);

/** The body every receiver gets. */
export interface WebhookPayload {
  id: string;
  status: JobStatus;
  recipe: string;
  result_url?: string;
  error?: { type: string; message: string; code?: string };
}

export interface WebhookDeliveryJobInput {
  jobId: string;
  queues: TaskQueues;
  target: WebhookTarget;
  payload: WebhookPayload;
}

export async function webhookDeliveryJob(input: WebhookDeliveryJobInput): Promise<WebhookRecord> {
  const { target } = input;
  const record: WebhookRecord = { url: target.url, status: 'delivering', attempts: 0, last_status_code: null };
  setHandler(webhookQuery, () => record);
  const acts = proxyActivities<WebhookActivities>({
    taskQueue: input.queues.control,
    startToCloseTimeout: target.timeoutMs + 5000,
    retry: {
      initialInterval: target.retry.initialMs,
      backoffCoefficient: 2,
      maximumInterval: target.retry.maximumMs,
      maximumAttempts: target.retry.maximumAttempts,
      nonRetryableErrorTypes: ['WebhookAddressDenied'],
    },
  });
  try {
    const out = await acts.deliverWebhook({ jobId: input.jobId, url: target.url, secretKey: target.secretKey, body: JSON.stringify(input.payload), timeoutMs: target.timeoutMs });
    Object.assign(record, { status: 'delivered', attempts: out.attempt, last_status_code: out.statusCode, delivered_at: out.deliveredAt });
  } catch (err) {
    let cause: unknown = err;
    while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
    const details = (cause instanceof ApplicationFailure ? cause.details?.[0] : undefined) as { attempt?: number; statusCode?: number | null } | undefined;
    Object.assign(record, {
      status: 'failed',
      attempts: details?.attempt ?? target.retry.maximumAttempts,
      last_status_code: details?.statusCode ?? null,
      last_error: cause instanceof Error ? cause.message : String(cause),
    });
  }
  upsertMemo({ webhook: record });
  if (target.secretKey) {
    await CancellationScope.nonCancellable(() =>
      proxyActivities<WebhookActivities>({ taskQueue: input.queues.control, startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } }).forgetWebhookSecret({ secretKey: target.secretKey! }),
    ).catch(() => undefined);
  }
  return record;
}

/**
 * Called by a job as it ends (workflows/job.ts): starts the delivery and returns once it has
 * started (non-cancellable, so a cancelled job notifies too). The child is abandoned: the job
 * closing does not stop it.
 */
export async function notifyWebhook(input: JobInput, payload: WebhookPayload): Promise<void> {
  if (!input.webhook) return;
  const target = input.webhook;
  await CancellationScope.nonCancellable(() =>
    startChild(webhookDeliveryJob, {
      workflowId: webhookWorkflowId(input.jobId),
      taskQueue: input.queues.control,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ jobId: input.jobId, queues: input.queues, target, payload }],
      memo: { webhook: { url: target.url, status: 'delivering', attempts: 0, last_status_code: null } satisfies WebhookRecord },
    }),
  );
}
