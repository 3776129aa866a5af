/**
 * A stream's tier limits and credits, with the stream id as the job id so every ledger entry and
 * slot is unique to it: a concurrent-job slot (lib/accounts/limits.ts), then for accounts a hold of
 * the minutes it may run (its balance, at most the session bound), settled once when it ends at
 * one credit per started minute of audio, however it ends. Anonymous streams count as one of the
 * day's jobs and are bounded by the anonymous audio length instead of credits.
 */
import { Limits, type TierLimits } from '../../lib/accounts/limits';
import type { Ledger } from '../../lib/ledger/ledger';
import { NO_CREDITS } from '../jobs/admission';
import type { Caller } from './caller';
import { CloseCode, StreamError } from './close-codes';

export const STREAM_STEP = 'transcribe';

export interface StreamAdmission {
  /** Most seconds of audio this stream may send. */
  maxSeconds: number;
  /** Why the stream ends at maxSeconds (credits held, or the session bound). */
  limitedBy: 'credits' | 'session';
  /** Settles the credits (charged: started minutes of `seconds`) and frees the slot; once, whatever calls it. */
  end(seconds: number): Promise<{ charged: number }>;
}

export async function admitStream(
  caller: Caller,
  streamId: string,
  deps: { limits: Limits; ledger: Ledger; tier: TierLimits; maxSessionSeconds: number },
): Promise<StreamAdmission> {
  const { limits, ledger, tier } = deps;
  let maxSeconds = deps.maxSessionSeconds;
  let limitedBy: StreamAdmission['limitedBy'] = 'session';
  let tookAnonymous = false;
  if (caller.plan === 'anonymous') {
    if (!(await limits.takeAnonymousJob(caller.ip, tier.dailyJobs ?? 3))) {
      throw new StreamError(CloseCode.RateLimited, `Anonymous use is limited to ${tier.dailyJobs} jobs per day. Create an API key for more.`, { retry_after: Limits.secondsUntilTomorrow() });
    }
    tookAnonymous = true;
    if (tier.maxAudioSeconds) maxSeconds = Math.min(maxSeconds, tier.maxAudioSeconds);
  } else if (caller.plan === 'free' && tier.monthlyMinutes) {
    await ledger.ensureAllowance(caller.account!.id, tier.monthlyMinutes, new Date().toISOString().slice(0, 7));
  }
  const slot = await limits.claimSlot(caller.tenant, streamId, tier.concurrentJobs);
  if (!slot) {
    if (tookAnonymous) await limits.returnAnonymousJob(caller.ip);
    throw new StreamError(CloseCode.RateLimited, `At most ${tier.concurrentJobs} concurrent job(s) on the ${caller.plan} tier; wait for one to finish.`, { retry_after: 5 });
  }
  let reserved = 0;
  if (caller.account) {
    const balance = await ledger.balance(caller.account.id);
    const want = Math.min(balance, Math.ceil(maxSeconds / 60));
    if (want < 1) {
      await limits.releaseSlot(streamId);
      throw new StreamError(CloseCode.NoCredits, NO_CREDITS);
    }
    try {
      reserved = (await ledger.reserve({ accountId: caller.account.id, jobId: streamId, step: STREAM_STEP, amount: want })).amount;
    } catch (err) {
      await limits.releaseSlot(streamId);
      throw err;
    }
    if (reserved * 60 < maxSeconds) {
      maxSeconds = reserved * 60;
      limitedBy = 'credits';
    }
  }
  let ended: Promise<{ charged: number }> | undefined;
  return {
    maxSeconds,
    limitedBy,
    end(seconds) {
      return (ended ??= (async () => {
        try {
          if (!caller.account) return { charged: 0 };
          return await ledger.settle({ jobId: streamId, step: STREAM_STEP, actual: Math.min(reserved, Math.ceil(seconds / 60)) });
        } finally {
          await limits.releaseSlot(streamId);
        }
      })());
    },
  };
}
