/**
 * How many attempts each step of a job took, read from its workflow history: the attempt of each
 * activity's last start (server-side retries leave no other trace), and local activities' attempts
 * from their markers. A running step's attempt comes from the pending activity instead (service.ts).
 *
 * A step's credit reservation is part of the step (a reservation refused for InsufficientCredits
 * is the step's one attempt). Those activities are shared by every step, so they are counted for
 * the step the job was in when they ran: the VoxflowCurrentStep upsert each step starts with.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { SA, type StepName } from '../../workflows/model';

/** The activities a step runs (its attempts are the most any of them took). */
const STEP_ACTIVITIES: Partial<Record<StepName, string[]>> = {
  probe: ['probe', 'measureAudio'],
  transcribe: ['transcribe'],
  diarize: ['diarize'],
  translate: ['translate'],
  summarize: ['summarize'],
  analyze: ['analyze'],
  generate: ['generate'],
  format: ['recipeSubtitles'],
  enhance: ['enhance'],
  embed: ['embed', 'embedTranscript'],
};

// The embed step's units are written with its reservation, and the last step settles with the job's slot (one local activity each).
const CREDIT_ACTIVITIES = new Set(['reserveCredits', 'settleCredits', 'refundCredits', 'recipeTextUnitsReserved', 'settleCreditsAndReleaseSlot']);

export async function stepAttempts(client: Client, jobId: string): Promise<Partial<Record<StepName, number>>> {
  return attemptsOf((await client.workflow.getHandle(jobId).fetchHistory()).events ?? []);
}

/** The same, from a history already read (the job view of a closed job reads it once for everything). */
export function attemptsOf(events: readonly temporal.api.history.v1.IHistoryEvent[]): Partial<Record<StepName, number>> {
  const scheduled = new Map<string, string>();
  const byActivity = new Map<string, number>();
  const byStep = new Map<string, number>();
  let current: string | undefined;
  const note = (name: string, attempt: number) => {
    byActivity.set(name, Math.max(byActivity.get(name) ?? 0, attempt));
    if (current && CREDIT_ACTIVITIES.has(name)) byStep.set(current, Math.max(byStep.get(current) ?? 0, attempt));
  };
  for (const e of events) {
    const upsert = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[SA.currentStep.name];
    if (upsert) current = defaultPayloadConverter.fromPayload<string>(upsert) ?? current;
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started) note(scheduled.get(String(started.scheduledEventId)) ?? '', started.attempt ?? 1);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const data = marker.details?.data?.payloads?.[0]?.data;
      if (data) {
        const meta = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; attempt?: number };
        if (meta.activity_type) note(meta.activity_type, meta.attempt ?? 1);
      }
    }
  }
  const out: Partial<Record<StepName, number>> = {};
  for (const [step, names] of Object.entries(STEP_ACTIVITIES) as Array<[StepName, string[]]>) {
    const n = Math.max(byStep.get(step) ?? 0, ...names.map((a) => byActivity.get(a) ?? 0));
    if (n) out[step] = n;
  }
  return out;
}
