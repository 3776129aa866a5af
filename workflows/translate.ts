import type { EngineKind } from '../lib/translate/engine';
import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';
import { textActivities } from './text-activities';
import { textResultKey } from './text-keys';

/** POST /v1/translate: one billed translate step with the engine the API chose for the pair (Apertium or the worker's LLM). */
export async function translateJob(input: JobInput): Promise<JobResult> {
  const options = input.translate;
  const text = textActivities(input.queues);
  return runTextJob(input, 'translate', 'translation', options, () =>
    text.translate({
      jobId: input.jobId,
      textKey: input.mediaKey,
      outputKey: textResultKey(input.jobId, 'translate'),
      source: options!.source,
      target: options!.target,
      // Validated by the API against lib/translate/pairs.ts before the job started.
      engine: options!.engine as EngineKind,
      batch: options!.batch,
    }),
  );
}
