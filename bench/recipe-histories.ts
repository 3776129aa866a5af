/**
 * Where a job's time goes, from its Temporal history: queueing before the first workflow task,
 * workflow task round trips (scheduled → completed), each normal activity's queue wait (scheduled
 * → started) and run (started → completed), and what is left (local activities and the gaps
 * between tasks). Event times are the server's, so client clocks do not enter.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Ts = temporal.api.history.v1.IHistoryEvent['eventTime'];
const ms = (t: Ts) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

export interface JobTimes {
  /** WorkflowExecutionStarted → WorkflowExecutionCompleted. */
  workflowMs: number;
  /** Started → the first workflow task starting on a worker. */
  firstTaskWaitMs: number;
  workflowTasks: number;
  /** Sum over workflow tasks of scheduled → completed (queue + the worker running the code, local activities included). */
  workflowTaskMs: number;
  /** Of which scheduled → started (the task waiting for a poller: dispatch and polling). */
  workflowTaskWaitMs: number;
  /** Normal activities: sum of scheduled → started, and of started → completed. */
  activityQueueMs: number;
  activityRunMs: number;
  activities: number;
  /** Local activities (markers). */
  localActivities: number;
}

export async function jobTimes(client: Client, jobId: string): Promise<JobTimes> {
  const events = (await client.workflow.getHandle(jobId).fetchHistory()).events ?? [];
  const at = new Map<string, number>();
  const t: JobTimes = { workflowMs: 0, firstTaskWaitMs: NaN, workflowTasks: 0, workflowTaskMs: 0, workflowTaskWaitMs: 0, activityQueueMs: 0, activityRunMs: 0, activities: 0, localActivities: 0 };
  let started = NaN;
  for (const e of events) {
    const now = ms(e.eventTime);
    at.set(String(e.eventId), now);
    if (e.workflowExecutionStartedEventAttributes) started = now;
    const wts = e.workflowTaskStartedEventAttributes;
    if (wts && Number.isNaN(t.firstTaskWaitMs)) t.firstTaskWaitMs = now - started;
    if (wts) t.workflowTaskWaitMs += now - (at.get(String(wts.scheduledEventId)) ?? now);
    const wtc = e.workflowTaskCompletedEventAttributes;
    if (wtc) {
      t.workflowTasks++;
      t.workflowTaskMs += now - (at.get(String(wtc.scheduledEventId)) ?? now);
    }
    const as = e.activityTaskStartedEventAttributes;
    if (as) t.activityQueueMs += now - (at.get(String(as.scheduledEventId)) ?? now);
    const ac = e.activityTaskCompletedEventAttributes;
    if (ac) {
      t.activities++;
      t.activityRunMs += now - (at.get(String(ac.startedEventId)) ?? now);
    }
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') t.localActivities++;
    if (e.workflowExecutionCompletedEventAttributes) t.workflowMs = now - started;
  }
  return t;
}
