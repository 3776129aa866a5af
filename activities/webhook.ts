/**
 * The webhook delivery activity (control queue). One attempt per activity attempt: the retry policy
 * (exponential, set by workflows/webhook.ts from VOXFLOW_WEBHOOK_*) spaces the attempts over hours.
 * A non-2xx answer or a network error is retried; an address the policy denies is not (another
 * attempt would be denied too). The signing secret is read from storage here, so it never enters
 * workflow history.
 */
import { text as readText } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { AddressPolicy } from '../lib/webhooks/address-policy';
import { postWebhook, WebhookAddressDeniedError } from '../lib/webhooks/deliver';
import { SIGNATURE_HEADER, signatureHeader } from '../lib/webhooks/signature';
import type { Config } from '../lib/config';
import type { ActivityDeps } from './deps';

export const WebhookFailure = { Rejected: 'WebhookRejected', Unreachable: 'WebhookUnreachable', AddressDenied: 'WebhookAddressDenied' } as const;

export interface WebhookDeliveryInput {
  jobId: string;
  url: string;
  secretKey?: string;
  /** The exact bytes sent (and signed). */
  body: string;
  timeoutMs: number;
}

export interface WebhookDeliveryOutput {
  attempt: number;
  statusCode: number;
  deliveredAt: string;
}

export function createWebhookActivities({ store, config }: Pick<ActivityDeps, 'store'> & { config: Pick<Config, 'webhooks'> }) {
  const policy = new AddressPolicy(config.webhooks.allowPrivate);
  return {
    async deliverWebhook(input: WebhookDeliveryInput): Promise<WebhookDeliveryOutput> {
      const { attempt } = Context.current().info;
      const headers: Record<string, string> = { 'X-Voxflow-Job': input.jobId, 'X-Voxflow-Delivery-Attempt': String(attempt) };
      if (input.secretKey) {
        const secret = await readText(await store.get(input.secretKey));
        headers[SIGNATURE_HEADER] = signatureHeader(secret, input.body, Math.floor(Date.now() / 1000));
      }
      let statusCode: number;
      try {
        ({ statusCode } = await postWebhook(input.url, input.body, headers, { policy, timeoutMs: input.timeoutMs }));
      } catch (err) {
        if (err instanceof WebhookAddressDeniedError) {
          throw ApplicationFailure.create({ type: WebhookFailure.AddressDenied, message: err.message, nonRetryable: true, details: [{ attempt, statusCode: null }] });
        }
        throw ApplicationFailure.create({ type: WebhookFailure.Unreachable, message: `webhook delivery failed: ${(err as Error).message}`, details: [{ attempt, statusCode: null }] });
      }
      if (statusCode < 200 || statusCode >= 300) {
        throw ApplicationFailure.create({ type: WebhookFailure.Rejected, message: `the receiver answered HTTP ${statusCode}`, details: [{ attempt, statusCode }] });
      }
      return { attempt, statusCode, deliveredAt: new Date().toISOString() };
    },

    /** Once deliveries are over (delivered or given up), the secret goes. */
    async forgetWebhookSecret(input: { secretKey: string }): Promise<void> {
      await store.delete(input.secretKey).catch(() => undefined);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
