/**
 * What GET /v1/jobs/:id shows of a job's webhook, read from its delivery workflow
 * (workflows/webhook.ts): while it retries, the pending activity's attempt and last failure (the
 * receiver's status code is in the failure's details); once over, the record it returned.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { webhookWorkflowId, type WebhookRecord } from '../../lib/webhooks/keys';

export async function webhookView(client: Client, jobId: string, url: string): Promise<WebhookRecord> {
  const handle = client.workflow.getHandle(webhookWorkflowId(jobId));
  let desc;
  try {
    desc = await handle.describe();
  } catch (err) {
    // The job has not ended yet: nothing was sent.
    if (err instanceof WorkflowNotFoundError) return { url, status: 'delivering', attempts: 0, last_status_code: null };
    throw err;
  }
  if (desc.status.name !== 'RUNNING') {
    const memo = (desc.memo as { webhook?: WebhookRecord } | undefined)?.webhook;
    if (memo) return memo;
    return (await handle.result()) as WebhookRecord;
  }
  const pending = desc.raw.pendingActivities?.[0];
  const record: WebhookRecord = { url, status: 'delivering', attempts: 0, last_status_code: null };
  if (pending) {
    const failure = pending.lastFailure;
    // `attempt` is the one running or waiting to run; those before it are the ones made.
    record.attempts = failure ? (pending.attempt ?? 1) - 1 : 0;
    if (failure?.message) record.last_error = failure.message;
    const payload = failure?.applicationFailureInfo?.details?.payloads?.[0];
    const details = payload ? defaultPayloadConverter.fromPayload<{ statusCode?: number | null }>(payload) : undefined;
    record.last_status_code = details?.statusCode ?? null;
  }
  return record;
}
