/** Where the API keeps a job's webhook secret: outside the job's folders, so a failed job's clean-up leaves it for the delivery (built-in-free). */
export const webhookSecretKey = (jobId: string) => `webhooks/${jobId}.secret`;

/** The delivery runs as its own workflow (it outlives the job by hours of retries) with this id. */
export const webhookWorkflowId = (jobId: string) => `${jobId}-webhook`;

export const webhookQueryName = 'webhook';

/** What GET /v1/jobs/:id shows of a job's webhook. */
export interface WebhookRecord {
  url: string;
  status: 'delivering' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error?: string;
  delivered_at?: string;
}
