/**
 * The retention schedule: a Temporal Schedule that starts the retention sweep workflow every
 * VOXFLOW_RETENTION_SWEEP_MINUTES on the control queue. Created when a control worker starts, and
 * updated on every start (so a changed policy or interval takes effect), idempotently: several
 * workers starting at once end with one schedule.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleUpdateOptions } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { RetentionInput } from '../workflows/retention';

/** One schedule per control queue: deployments sharing a namespace each sweep their own store. */
export const retentionScheduleId = (controlQueue: string) => `voxflow-retention-${controlQueue}`;

export function retentionScheduleOptions(config: Pick<Config, 'temporal' | 'retention'>): ScheduleUpdateOptions {
  const r = config.retention;
  const policy: RetentionInput = { days: r.days, failedDays: r.failedDays, orphanGraceHours: r.orphanGraceHours };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'retentionSweep',
    taskQueue: config.temporal.taskQueues.control,
    workflowId: `${retentionScheduleId(config.temporal.taskQueues.control)}-sweep`,
    args: [policy],
  };
  return {
    spec: { intervals: [{ every: `${r.sweepMinutes} minutes` }] },
    action,
    // A sweep still running when the next is due: skip that one. Missed runs during an outage: one catch-up.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${r.sweepMinutes} minutes` },
    state: { paused: false, note: 'voxflow retention: deletes uploads and results of finished jobs past VOXFLOW_RETENTION_DAYS' },
  };
}

export async function ensureRetentionSchedule(client: Client, config: Pick<Config, 'temporal' | 'retention'>): Promise<string> {
  const scheduleId = retentionScheduleId(config.temporal.taskQueues.control);
  const options = retentionScheduleOptions(config);
  try {
    await client.schedule.create({ scheduleId, ...options });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // An operator's pause stays in force; everything else follows this worker's configuration.
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...options, state: { ...options.state, paused: prev.state.paused } }));
  }
  return scheduleId;
}
