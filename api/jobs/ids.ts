import crypto from 'node:crypto';

/** Job ids double as Temporal workflow ids, so operators can paste one into the Web UI. */
export function newJobId(): string {
  return `job_${crypto.randomUUID().replace(/-/g, '')}`;
}

/** A client's Idempotency-Key maps to the same job id for the same tenant, so a retried POST starts nothing new. */
export function jobIdForIdempotencyKey(tenant: string, key: string): string {
  return `job_${crypto.createHash('sha256').update(`${tenant}\n${key}`).digest('hex').slice(0, 32)}`;
}

export const isJobId = (id: string) => /^job_[0-9a-f]{32}$/.test(id);
