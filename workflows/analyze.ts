import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';
import { textActivities } from './text-activities';
import { textResultKey } from './text-keys';

/** POST /v1/analyze and /api/v1/transcripts/:id/analyze/: one billed analyze step on the worker's LLM (chunk results in storage). */
export async function analyzeJob(input: JobInput): Promise<JobResult> {
  const options = input.analyze;
  const text = textActivities(input.queues);
  return runTextJob(input, 'analyze', 'analysis', options, () =>
    text.analyze({ jobId: input.jobId, textKey: input.mediaKey, type: options!.type, outputKey: textResultKey(input.jobId, 'analyze') }),
  );
}
