import { ApplicationFailure, isCancellation, patched } from '@temporalio/workflow';
import { Job } from './job';
import { controlActivities, gpuActivities } from './activities';
import { FailureType, SA, outputKey, type JobInput, type JobResult } from './model';
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
    if (patched('language-search-attribute')) job.tag(SA.language, transcript.language);
    let { key, contentType, sizeBytes, ...summary } = transcript;
    if (!options.diarize) job.skip('diarize', 'not requested');
    else if (!patched('diarize-step')) job.skip('diarize', 'speaker diarization is not available on this server yet'); // jobs from before it existed
    else {
      try {
        const labelled = await job.step(
          'diarize',
          () =>
            gpu.diarize({
              key: input.mediaKey,
              durationSeconds: media.duration,
              speakers: options.speakers,
              transcriptKey: key,
              outputKey: key,
              turnsKey: outputKey(input.jobId, 'speaker-turns.json'),
            }),
          { credits: stepCredits('diarize', media.duration) },
        );
        ({ key, contentType, sizeBytes } = labelled);
        summary = { ...summary, segments: labelled.segments, speakers: labelled.speakers };
      } catch (err) {
        // The transcript stands without speakers; the job view shows the step's error, and its
        // credits were refunded by the step.
        if (isCancellation(err)) throw err;
      }
    }
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
