import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';
import { textActivities } from './text-activities';
import { textResultKey } from './text-keys';

/** POST /v1/generate and /api/v1/transcripts/:id/generate/: one billed generate step on the worker's LLM (chunk results in storage). */
export async function generateJob(input: JobInput): Promise<JobResult> {
  const options = input.generate;
  const text = textActivities(input.queues);
  return runTextJob(input, 'generate', 'generation', options, () =>
    text.generate({ jobId: input.jobId, textKey: input.mediaKey, type: options!.type, outputKey: textResultKey(input.jobId, 'generate') }),
  );
}
