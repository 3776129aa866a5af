import { patched } from '@temporalio/workflow';
import type { Job } from './job';
import { controlActivities, gpuActivities } from './activities';
import type { JobInput, MediaSummary } from './model';

/**
 * The probe step of every audio recipe: ffprobe's facts (is it media, which streams), then the
 * decoded length, which is what the job bills and reports. Container metadata is the uploader's
 * word and can lie (a patched Matroska Duration, a truncated MP3 whose header claims minutes).
 * Callers whose tier bounds the audio length (anonymous: VOXFLOW_ANON_MAX_AUDIO_S, set by the
 * API) are refused past it here, before any GPU work. Jobs started before this change keep the container's duration.
 */
export function probeStep(job: Job, input: JobInput): Promise<MediaSummary> {
  const control = controlActivities(input.queues);
  const gpu = gpuActivities(input.queues);
  return job.step('probe', async () => {
    const declared = await control.probe({ key: input.mediaKey });
    if (!patched('decoded-duration')) return declared;
    const { seconds } = await gpu.measureAudio({ key: input.mediaKey, declaredSeconds: declared.duration, maxSeconds: input.maxAudioSeconds });
    return { ...declared, duration: seconds, declaredDuration: declared.duration };
  });
}
