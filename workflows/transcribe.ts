import { ApplicationFailure, isCancellation, log, patched } from '@temporalio/workflow';
import { Job } from './job';
import { cleanupActivities, gpuActivities } from './activities';
import { probeStep } from './probe-step';
import { FailureType, SA, outputKey, type JobInput, type JobResult } from './model';
import { requestShares, stepCredits } from './pricing';
import { ragActivities } from './rag-activities';
import { vectorsKey } from '../lib/rag/keys';

/** POST /v1/transcribe: probe the upload, transcribe it (resumable), label speakers, store the transcript. */
export async function transcribeJob(input: JobInput): Promise<JobResult> {
  const options = input.transcribe;
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'transcribe options missing', nonRetryable: true });
  // The embed step shows in the job view (and runs as a step) for jobs from this change on.
  const embedShown = patched('embed-step-in-job-view');
  const job = new Job(input, [...(options.enhance ? ['probe', 'enhance', 'transcribe', 'diarize'] as const : ['probe', 'transcribe', 'diarize'] as const), ...(embedShown ? ['embed' as const] : [])]);
  const gpu = gpuActivities(input.queues);

  return job.run(async () => {
    const media = await probeStep(job, input);
    job.tagDuration(media.duration);
    // `enhance=true` (only jobs that ask for it reach the patch, so older histories replay untouched).
    const enhanceFirst = !!options.enhance && patched('enhance-step');
    // One price per request (pricing.ts); jobs started before it paid each audio step on its own.
    const billed = [...(enhanceFirst ? (['enhance'] as const) : []), 'transcribe' as const, ...(options.diarize ? (['diarize'] as const) : [])];
    const shares = patched('one-price-per-request') ? requestShares(billed, media.duration) : undefined;
    const credits = (step: 'enhance' | 'transcribe' | 'diarize') => (shares ? (shares[step] ?? 0) : stepCredits(step, media.duration));
    let audioKey = input.mediaKey;
    if (enhanceFirst) {
      const enhanced = await job.step(
        'enhance',
        () => gpu.enhance({ key: input.mediaKey, outputKey: outputKey(input.jobId, 'enhanced.wav'), durationSeconds: media.duration, options: options.enhance }),
        { credits: credits('enhance') },
      );
      audioKey = enhanced.key;
    }
    // A retried attempt may be handed any older checkpoint, so its parts stay until this workflow
    // has the step's result, and are deleted here after it.
    const partsByWorkflow = patched('transcribe-parts-deleted-by-workflow');
    const transcript = await job.step(
      'transcribe',
      () =>
        gpu.transcribe({
          jobId: input.jobId,
          key: audioKey,
          durationSeconds: media.duration,
          options,
          outputKey: outputKey(input.jobId, 'transcript.json'),
          ...(partsByWorkflow ? { partsDeletedBy: 'workflow' as const } : {}),
        }),
      { credits: credits('transcribe') },
    );
    if (partsByWorkflow) await cleanupActivities().deleteTranscribeParts({ jobId: input.jobId }).catch(() => undefined);
    if (patched('language-search-attribute')) job.tag(SA.language, transcript.language);
    job.tagModel(transcript.model);
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
          { credits: credits('diarize') },
        );
        ({ key, contentType, sizeBytes } = labelled);
        summary = { ...summary, segments: labelled.segments, speakers: labelled.speakers };
      } catch (err) {
        // The transcript stands without speakers; the job view shows the step's error (and, for
        // jobs from before one price per request, the step refunded its own credits).
        if (isCancellation(err)) throw err;
      }
    }
    // Vectors of the segments for chat and search (lib/rag), stored next to the transcript, never in
    // history. Free (the request has one price) and best effort: if it fails the transcript stands
    // and chat/search make the vectors on first use.
    if (patched('embed-step')) {
      const embed = () => ragActivities(input.queues).embedTranscript({ transcriptKey: key, vectorsKey: vectorsKey(input.jobId) });
      // Shown, it is a free step (the request has one price): no ledger entries, like `format`.
      await (embedShown ? job.step('embed', embed) : embed())
        .then((out) => job.tagModel(out.model))
        .catch((err) => {
          if (isCancellation(err)) throw err;
          log.warn('embed step failed; vectors will be made on first use', { jobId: input.jobId, error: err instanceof Error ? err.message : String(err) });
        });
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
