import fs from 'node:fs';
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../lib/config';
import type { ObjectStore } from '../../lib/storage';
import { mediaKey, type JobInput, type RecipeName } from '../../workflows/model';
import { RECIPE_WORKFLOWS } from '../../workflows/recipes';
import { SA } from '../../workflows/model';

/** Uploads a file to the store and starts its recipe workflow directly (as the API would). */
export async function startJob(
  client: Client,
  config: Config,
  store: ObjectStore,
  file: string,
  recipe: RecipeName = 'enhance-audio',
  tenant = 'tenant-test',
  extra: Partial<JobInput> = {},
) {
  if (recipe === 'transcribe' && !extra.transcribe) {
    extra = { ...extra, transcribe: { model: 'base', language: 'auto', diarize: false, speakers: 0, wordTimestamps: true } };
  }
  const jobId = `job_${crypto.randomUUID().replace(/-/g, '')}`;
  const key = mediaKey(jobId, file.split('.').pop()!);
  await store.put(key, fs.createReadStream(file));
  const input: JobInput = {
    jobId,
    tenant,
    recipe,
    queues: config.temporal.taskQueues,
    mediaKey: key,
    filename: file.split('/').pop()!,
    submittedAt: new Date().toISOString(),
    ...extra,
  };
  const handle = await client.workflow.start(RECIPE_WORKFLOWS[recipe], {
    taskQueue: config.temporal.taskQueues.control,
    workflowId: jobId,
    args: [input],
    typedSearchAttributes: [
      { key: SA.tenant, value: tenant },
      { key: SA.recipe, value: recipe },
      { key: SA.status, value: 'queued' },
    ],
  });
  return { jobId, handle, input };
}

/** Activity attempts per activity type, read from the workflow's real history. */
export async function activityAttempts(client: Client, jobId: string): Promise<Record<string, number[]>> {
  const history = await client.workflow.getHandle(jobId).fetchHistory();
  const scheduled = new Map<string, string>();
  const out: Record<string, number[]> = {};
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes) {
      scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    }
    // Local activities (control steps) are recorded as markers carrying their type and attempt.
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const data = marker.details?.data?.payloads?.[0]?.data;
      if (data) {
        const meta = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; attempt?: number };
        (out[meta.activity_type ?? '?'] ??= []).push(meta.attempt ?? 1);
      }
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const name = scheduled.get(String(started.scheduledEventId)) ?? '?';
      (out[name] ??= []).push(started.attempt ?? 1);
    }
  }
  return out;
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
