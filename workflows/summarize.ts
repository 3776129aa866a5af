import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';
import { textActivities } from './text-activities';
import { summaryKey } from './text-keys';

/** POST /v1/summarize: one billed summarize step on the worker's LLM (map-reduce intermediates in storage). */
export async function summarizeJob(input: JobInput): Promise<JobResult> {
  const options = input.summarize;
  const text = textActivities(input.queues);
  return runTextJob(input, 'summarize', 'summary', options, () =>
    text.summarize({ jobId: input.jobId, textKey: input.mediaKey, style: options!.style, outputKey: summaryKey(input.jobId) }),
  );
}
