import { Job } from './job';
import { gpuActivities } from './activities';
import { probeStep } from './probe-step';
import { outputKey, type JobInput, type JobResult } from './model';
import { requestShares } from './pricing';

/** POST /v1/enhance-audio: probe the upload (decoded length), denoise (neural model or ffmpeg) + loudness-normalise it, store the WAV. */
export async function enhanceAudioJob(input: JobInput): Promise<JobResult> {
  const job = new Job(input, ['probe', 'enhance']);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    const media = await probeStep(job, input);
    const audio = await job.step(
      'enhance',
      // The options travel in the activity's input (same commands as before: replays need no patch).
      () => gpu.enhance({ key: input.mediaKey, outputKey: outputKey(input.jobId, 'enhanced.wav'), durationSeconds: media.duration, options: input.enhance }),
      { credits: requestShares(['enhance'], media.duration).enhance },
    );
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      media,
      outputs: [{ kind: 'audio', key: audio.key, contentType: audio.contentType, sizeBytes: audio.sizeBytes }],
      enhance: audio.enhance,
      steps: job.steps,
    };
  });
}
