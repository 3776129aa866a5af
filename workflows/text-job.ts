import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { FailureType, type JobInput, type JobResult, type OutputKind, type StepName, type TextMeasure, type TextStepSummary } from './model';
import { textCredits } from './pricing';

/** What a text step's activity returns: where its JSON document is, and a few facts for the job view. */
export type TextStepOutput = TextStepSummary & { key: string; contentType: string; sizeBytes: number };

/**
 * The shape of every text recipe (summarize, analyze, generate, translate): one billed step on the
 * gpu queue whose input text is the stored object at `mediaKey` (claim check: it never enters
 * workflow history) and whose result is a stored JSON document; the history holds keys and counts.
 */
export async function runTextJob(
  input: JobInput,
  step: StepName,
  kind: OutputKind,
  options: TextMeasure | undefined,
  run: () => Promise<TextStepOutput>,
): Promise<JobResult> {
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `${step} options missing`, nonRetryable: true });
  const job = new Job(input, [step]);
  return job.run(async () => {
    const out = await job.step(step, run, { credits: textCredits(options.chars) });
    const { key, contentType, sizeBytes, ...summary } = out;
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      // Text jobs have no audio; the "media" is the stored text (its size; no duration).
      media: { duration: 0, container: 'text', sizeBytes: options.bytes, audio: { codec: 'none', sampleRate: 0, channels: 0 }, hasVideo: false },
      outputs: [{ kind, key, contentType, sizeBytes }],
      steps: job.steps,
      text: summary,
    };
  });
}
