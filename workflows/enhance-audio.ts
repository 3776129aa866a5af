import { Job } from './job';
import { controlActivities, gpuActivities } from './activities';
import { outputKey, type JobInput, type JobResult } from './model';
import { stepCredits } from './pricing';

/** POST /v1/enhance-audio: probe the upload, denoise + loudness-normalise it, store the WAV. */
export async function enhanceAudioJob(input: JobInput): Promise<JobResult> {
  const job = new Job(input, ['probe', 'enhance']);
  const control = controlActivities(input.queues);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    const media = await job.step('probe', () => control.probe({ key: input.mediaKey }));
    const audio = await job.step(
      'enhance',
      () => gpu.enhance({ key: input.mediaKey, outputKey: outputKey(input.jobId, 'enhanced.wav'), durationSeconds: media.duration }),
      { credits: stepCredits('enhance', media.duration) },
    );
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      media,
      outputs: [{ kind: 'audio', ...audio }],
      steps: job.steps,
    };
  });
}
