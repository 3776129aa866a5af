import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { controlActivities, gpuActivities } from './activities';
import { FailureType, outputKey, type JobInput, type JobResult } from './model';
import { stepCredits } from './pricing';

/** POST /v1/transcribe: probe the upload, transcribe it (resumable), label speakers, store the transcript. */
export async function transcribeJob(input: JobInput): Promise<JobResult> {
  const options = input.transcribe;
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'transcribe options missing', nonRetryable: true });
  const job = new Job(input, ['probe', 'transcribe', 'diarize']);
  const control = controlActivities(input.queues);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    const media = await job.step('probe', () => control.probe({ key: input.mediaKey }));
    const transcript = await job.step(
      'transcribe',
      () =>
        gpu.transcribe({
          jobId: input.jobId,
          key: input.mediaKey,
          durationSeconds: media.duration,
          options,
          outputKey: outputKey(input.jobId, 'transcript.json'),
        }),
      { credits: stepCredits('transcribe', media.duration) },
    );
    // Speaker diarization lands in its own change; until then no speaker labels are invented.
    job.skip('diarize', options.diarize ? 'speaker diarization is not available on this server yet' : 'not requested');
    const { key, contentType, sizeBytes, ...summary } = transcript;
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      media,
      outputs: [{ kind: 'transcript', key, contentType, sizeBytes }],
      steps: job.steps,
      transcript: summary,
    };
  });
}
