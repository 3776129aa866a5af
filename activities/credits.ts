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

/** A reservation; a refused one is the typed, non-retryable InsufficientCredits failure. */
export async function reserveOrFail(ledger: Ledger | undefined, r: CreditRef & { amount: number }): Promise<{ amount: number }> {
  try {
    return await needLedger(ledger).reserve(r);
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
}

function needLedger(ledger: Ledger | undefined): Ledger {
  if (!ledger) throw ApplicationFailure.create({ type: FailureType.Internal, message: 'this worker has no database configured', nonRetryable: true });
  return ledger;
}

export function createCreditActivities(ledger: Ledger | undefined, limits: Limits | undefined) {
  const need = () => needLedger(ledger);
  return {
    async reserveCredits(r: CreditRef & { amount: number }): Promise<{ amount: number }> {
      return reserveOrFail(ledger, r);
    },
    async settleCredits(s: CreditRef & { actual: number }): Promise<{ charged: number }> {
      return need().settle(s);
    },
    async refundCredits(r: CreditRef): Promise<{ refunded: number }> {
      return need().refund(r);
    },
    /**
     * A job's last billed step: its settlement and the job's slot in one local activity, so a job
     * ends with one activity round trip instead of two. A retry repeats both: settling is once per
     * (job, step) and releasing a released slot does nothing.
     */
    async settleCreditsAndReleaseSlot(s: CreditRef & { actual: number }): Promise<{ charged: number }> {
      const out = await need().settle(s);
      await limits?.releaseSlot(s.jobId);
      return out;
    },
    /** Frees the tenant's concurrent-job slot when a job ends, however it ends. */
    async releaseJobSlot(r: { jobId: string }): Promise<void> {
      await limits?.releaseSlot(r.jobId);
    },
  };
}
