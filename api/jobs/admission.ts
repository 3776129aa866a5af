/**
 * Whether a caller may start a job now, by tier: upload size, credits (paid) or monthly minutes
 * (free), jobs per day (anonymous) and concurrent jobs. Counters live in the database, so limits
 * hold across API processes. Returns what the job carries (billing, slot) and how to undo.
 */
import type { Context } from 'koa';
import { Limits, type Plan } from '../../lib/accounts/limits';
import type { Account } from '../../lib/ledger/ledger';
import type { JobInput } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';

export interface Admission {
  maxUploadBytes: number;
  job: Pick<JobInput, 'billing' | 'slot' | 'maxAudioSeconds'>;
  /** Gives back what this request took (and only that) when it starts no job after all. */
  undo(): Promise<void>;
}

export const NO_CREDITS = 'No credits remaining. Upgrade your plan.';

export interface AdmitOptions {
  /**
   * Job ids from an Idempotency-Key are shared by every request carrying that key: a slot this
   * request claimed may have become a running job's (a concurrent request with the key started it).
   * True when that is so, and the slot is then left to the job, which releases it when it ends.
   */
  jobHoldsSlot?: () => Promise<boolean>;
}

export async function admit(ctx: Context, deps: ApiDeps, jobId: string, opts: AdmitOptions = {}): Promise<Admission> {
  const plan = ctx.state.plan as Plan;
  const tier = deps.tiers[plan];
  const { limits, ledger } = deps.accounts;
  const account = ctx.state.account as Account | undefined;
  const undo: Array<() => Promise<void>> = [];
  const maxUploadBytes = Math.min(deps.config.http.maxUploadBytes, tier.maxUploadBytes);

  if (plan === 'anonymous') {
    if (!(await limits.takeAnonymousJob(ctx.ip, tier.dailyJobs ?? 3))) {
      const retry = Limits.secondsUntilTomorrow();
      throw new HttpError(429, `Anonymous use is limited to ${tier.dailyJobs} jobs per day. Create an API key for more.`, {}, { 'Retry-After': String(retry) });
    }
    undo.push(() => limits.returnAnonymousJob(ctx.ip));
  } else {
    if (plan === 'free' && tier.monthlyMinutes) await ledger.ensureAllowance(account!.id, tier.monthlyMinutes, new Date().toISOString().slice(0, 7));
    // Fail fast: a job that cannot pay for its first minute never uploads or reaches a GPU.
    if ((await ledger.balance(account!.id)) < 1) throw new HttpError(402, NO_CREDITS);
  }
  const slot = await limits.claimSlot(ctx.state.tenant, jobId, tier.concurrentJobs);
  if (!slot) {
    await Promise.all(undo.map((u) => u()));
    throw new HttpError(429, `At most ${tier.concurrentJobs} concurrent job(s) on the ${plan} tier; wait for one to finish.`, {}, { 'Retry-After': '5' });
  }
  // A retried Idempotency-Key finds the running job's slot: that one is the job's, never this request's to give back.
  if (slot === 'claimed') {
    undo.push(async () => {
      if (!(await opts.jobHoldsSlot?.())) await limits.releaseSlot(jobId);
    });
  }
  return {
    maxUploadBytes,
    // Unbilled (anonymous) jobs are bounded by decoded audio length, checked in the probe step.
    job: { slot: true, ...(account ? { billing: { accountId: account.id } } : {}), ...(tier.maxAudioSeconds ? { maxAudioSeconds: tier.maxAudioSeconds } : {}) },
    undo: async () => {
      // Once only: giving back twice would return another request's anonymous job or slot.
      for (const u of undo.splice(0)) await u().catch(() => undefined);
    },
  };
}
