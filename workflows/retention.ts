/**
 * The retention sweep as a workflow, started by the retention schedule (workers/retention-schedule.ts)
 * every VOXFLOW_RETENTION_SWEEP_MINUTES: Temporal keeps it running across restarts and retries the
 * sweep until it succeeds. The sweep itself is one activity (it lists and deletes objects); the
 * workflow supplies the clock, so a test or an operator can run it "as of" another moment.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RetentionPolicy, RetentionSweepResult } from '../activities/retention';
import type { ControlActivities } from '../activities';

export interface RetentionInput extends RetentionPolicy {
  /** ISO 8601; default: now (workflow time). */
  asOf?: string;
}

const { sweepStorage } = proxyActivities<Pick<ControlActivities, 'sweepStorage'>>({
  // Listing and deleting a large store takes a while; heartbeats show it is alive.
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 5 },
});

export async function retentionSweep(input: RetentionInput): Promise<RetentionSweepResult> {
  return sweepStorage({ ...input, asOf: input.asOf ?? new Date().toISOString() });
}
