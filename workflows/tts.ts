import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { gpuActivities } from './activities';
import { probeStep } from './probe-step';
import { FailureType, outputKey, type JobInput, type JobResult, type MediaSummary } from './model';
import { ttsCredits } from './pricing-tts';

/** The contract's reference clip: 3–10 s of decoded audio. */
export const REFERENCE_MIN_S = 3;
export const REFERENCE_MAX_S = 10;

/**
 * POST /v1/tts: (probe the reference clip, when one was sent) → one billed `tts` step on the gpu
 * queue that checks the reference holds speech, synthesizes the stored text with an installed voice
 * and stores the WAV. No voice is cloned: the reference is validated, never imitated, and the result
 * says so (`voiceCloned: false`).
 */
export async function ttsJob(input: JobInput): Promise<JobResult> {
  const options = input.tts;
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'tts options missing', nonRetryable: true });
  const job = new Job(input, options.reference ? ['probe', 'tts'] : ['tts']);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    let media: MediaSummary = { duration: 0, container: 'text', sizeBytes: options.bytes, audio: { codec: 'none', sampleRate: 0, channels: 0 }, hasVideo: false };
    if (options.reference) {
      media = await probeStep(job, input);
      if (media.duration < REFERENCE_MIN_S || media.duration > REFERENCE_MAX_S) {
        const code = media.duration < REFERENCE_MIN_S ? 'reference_too_short' : 'reference_too_long';
        throw ApplicationFailure.create({
          type: FailureType.InvalidMedia,
          message: `The reference clip is ${media.duration.toFixed(1)} s long; it must be ${REFERENCE_MIN_S}–${REFERENCE_MAX_S} s of speech.`,
          nonRetryable: true,
          details: [{ code }],
        });
      }
    }
    const out = await job.step(
      'tts',
      () =>
        gpu.tts({
          textKey: options.textKey,
          voice: options.voice,
          referenceKey: options.reference ? input.mediaKey : undefined,
          sampleRate: options.sampleRate,
          outputKey: outputKey(input.jobId, 'speech.wav'),
        }),
      { credits: ttsCredits(options.chars) },
    );
    const { key, contentType, sizeBytes, ...summary } = out;
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      media,
      outputs: [{ kind: 'audio', key, contentType, sizeBytes }],
      steps: job.steps,
      tts: summary,
    };
  });
}
