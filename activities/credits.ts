/**
 * Ledger steps run on the control queue. Each is idempotent on (job, step), so Temporal may retry
 * them freely: a repeat never moves the balance twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { InsufficientCreditsError, type Ledger } from '../lib/ledger/ledger';
import type { Limits } from '../lib/accounts/limits';
import { FailureType } from '../workflows/model';

export interface CreditRef {
  accountId: string;
  jobId: string;
  step: string;
}

export function createCreditActivities(ledger: Ledger | undefined, limits: Limits | undefined) {
  const need = () => {
    if (!ledger) throw ApplicationFailure.create({ type: FailureType.Internal, message: 'this worker has no database configured', nonRetryable: true });
    return ledger;
  };
  return {
    async reserveCredits(r: CreditRef & { amount: number }): Promise<{ amount: number }> {
      try {
        return await need().reserve(r);
      } catch (err) {
        if (err instanceof InsufficientCreditsError) {
          throw ApplicationFailure.create({
            type: FailureType.InsufficientCredits,
            message: err.message,
            nonRetryable: true,
            details: [{ code: 'insufficient_credits', needed: err.needed, available: err.available }],
          });
        }
        throw err;
      }
    },
    async settleCredits(s: CreditRef & { actual: number }): Promise<{ charged: number }> {
      return need().settle(s);
    },
    async refundCredits(r: CreditRef): Promise<{ refunded: number }> {
      return need().refund(r);
    },
    /** Frees the tenant's concurrent-job slot when a job ends, however it ends. */
    async releaseJobSlot(r: { jobId: string }): Promise<void> {
      await limits?.releaseSlot(r.jobId);
    },
  };
}
