/**
 * What the scale-out run must show, read from the shared services themselves: every job's ledger
 * entries (one reservation and one settlement of exactly the contract price per billed step, no
 * refund), the account's balance against the sum of the prices and against its rebuilt ledger,
 * and, for every job whose step was retried, the worker that finished it (Temporal history).
 */
import type { Client } from '@temporalio/client';
import type { Ledger } from '../../lib/ledger/ledger';
import type { LoadResult } from './load';

export interface ChargeCheck {
  /** Jobs whose ledger entries are not exactly {reserve p, settle p} for each billed step. */
  wrongEntries: Array<{ id: string; entries: unknown }>;
  expectedCredits: number;
  balanceBefore: number;
  balanceAfter: number;
  /** balanceBefore − balanceAfter. */
  charged: number;
  /** The stored balance differs from the one rebuilt from the account's ledger entries. */
  auditMismatch: boolean;
}

export async function checkCharges(
  ledger: Ledger,
  accountId: string,
  balanceBefore: number,
  /** Each job's contract price per billed step. */
  jobs: Array<{ id?: string; prices: Record<string, number> }>,
): Promise<ChargeCheck> {
  const wrongEntries: ChargeCheck['wrongEntries'] = [];
  for (const j of jobs) {
    if (!j.id) continue; // a lost job is counted by the load itself
    const entries = await ledger.jobCharges(j.id);
    const steps = Object.entries(j.prices);
    const ok =
      entries.length === steps.length &&
      steps.every(([step, price]) => entries.some((e) => e.step === step && e.reserved === price && e.settled === price && e.refunded === null));
    if (!ok) wrongEntries.push({ id: j.id, entries });
  }
  const balanceAfter = await ledger.balance(accountId);
  const rebuilt = await ledger.rebuiltBalance(accountId);
  return {
    wrongEntries,
    expectedCredits: jobs.reduce((a, j) => a + Object.values(j.prices).reduce((x, y) => x + y, 0), 0),
    balanceBefore,
    balanceAfter,
    charged: balanceBefore - balanceAfter,
    auditMismatch: rebuilt !== balanceAfter,
  };
}

export interface RetriedJob {
  id: string;
  step: string;
  attempts: number;
  /** Identity of the worker that ran the step's last (successful) attempt. */
  finishedBy: string;
  /** Why the attempt before it failed (the heartbeat timeout of the killed worker's attempt). */
  lastFailure: string;
}

/**
 * The activities (among `activities`) that took more than one attempt in each job, and who finished
 * each: read from the workflow history (the attempt and worker identity on the activity's last
 * ActivityTaskStarted event; server-side retries leave no other trace), not from the job view.
 */
export async function retriedJobs(client: Client, results: LoadResult[], activities: string[]): Promise<RetriedJob[]> {
  const out: RetriedJob[] = [];
  const ids = results.flatMap((r) => (r.id ? [r.id] : []));
  // A few histories at a time: 200 reads in a row take seconds on a loaded machine.
  for (let i = 0; i < ids.length; i += 16) {
    const batch = await Promise.all(ids.slice(i, i + 16).map(async (id) => ({ id, starts: await lastStarts(client, id, activities) })));
    for (const { id, starts } of batch) for (const s of starts) if (s.attempts > 1) out.push({ id, ...s });
  }
  return out;
}

async function lastStarts(client: Client, jobId: string, activities: string[]): Promise<Array<Omit<RetriedJob, 'id'>>> {
  const history = await client.workflow.getHandle(jobId).fetchHistory();
  const scheduled = new Map<string, string>();
  const last = new Map<string, Omit<RetriedJob, 'id'>>();
  for (const e of history.events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(String(e.eventId), a.activityType?.name ?? '');
    const st = e.activityTaskStartedEventAttributes;
    const name = st && scheduled.get(String(st.scheduledEventId));
    if (st && name && activities.includes(name)) {
      last.set(name, { step: name, attempts: st.attempt ?? 1, finishedBy: st.identity ?? '', lastFailure: st.lastFailure?.message ?? '' });
    }
  }
  return [...last.values()];
}
