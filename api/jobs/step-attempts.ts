/**
 * How many attempts each step of a job took, read from its workflow history: the attempt of each
 * activity's last start (server-side retries leave no other trace), and local activities' attempts
 * from their markers. A running step's attempt comes from the pending activity instead (service.ts).
 */
import type { Client } from '@temporalio/client';
import type { StepName } from '../../workflows/model';

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
};

export async function stepAttempts(client: Client, jobId: string): Promise<Partial<Record<StepName, number>>> {
  const history = await client.workflow.getHandle(jobId).fetchHistory();
  const scheduled = new Map<string, string>();
  const byActivity = new Map<string, number>();
  const note = (name: string, attempt: number) => byActivity.set(name, Math.max(byActivity.get(name) ?? 0, attempt));
  for (const e of history.events ?? []) {
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
    const n = Math.max(0, ...names.map((a) => byActivity.get(a) ?? 0));
    if (n) out[step] = n;
  }
  return out;
}
