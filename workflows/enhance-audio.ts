import { Job } from './job';
import { gpuActivities } from './activities';
import { probeStep } from './probe-step';
import { outputKey, type JobInput, type JobResult } from './model';
import { requestShares } from './pricing';

/** POST /v1/enhance-audio: probe the upload (decoded length), denoise + loudness-normalise it, store the WAV. */
export async function enhanceAudioJob(input: JobInput): Promise<JobResult> {
  const job = new Job(input, ['probe', 'enhance']);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    const media = await probeStep(job, input);
    const audio = await job.step(
      'enhance',
      () => gpu.enhance({ key: input.mediaKey, outputKey: outputKey(input.jobId, 'enhanced.wav'), durationSeconds: media.duration }),
      { credits: requestShares(['enhance'], media.duration).enhance },
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
