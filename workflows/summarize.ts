import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { FailureType, type JobInput, type JobResult } from './model';
import { textCredits } from './pricing';
import { textActivities } from './text-activities';
import { summaryKey } from './text-keys';

/**
 * POST /v1/summarize: one billed step on the worker's LLM. The text is the stored object at
 * `mediaKey` (claim check: it never enters workflow history), and so are the result and any
 * map-reduce intermediates; the history holds their keys and a few counts.
 */
export async function summarizeJob(input: JobInput): Promise<JobResult> {
  const options = input.summarize;
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'summarize options missing', nonRetryable: true });
  const job = new Job(input, ['summarize']);
  const text = textActivities(input.queues);

  return job.run(async () => {
    const out = await job.step(
      'summarize',
      () => text.summarize({ jobId: input.jobId, textKey: input.mediaKey, style: options.style, outputKey: summaryKey(input.jobId) }),
      { credits: textCredits(options.chars) },
    );
    const { key, contentType, sizeBytes, ...summary } = out;
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      // Text jobs have no audio; the "media" is the stored text (its size; no duration).
      media: { duration: 0, container: 'text', sizeBytes: options.bytes, audio: { codec: 'none', sampleRate: 0, channels: 0 }, hasVideo: false },
      outputs: [{ kind: 'summary', key, contentType, sizeBytes }],
      steps: job.steps,
      text: summary,
    };
  });
}
