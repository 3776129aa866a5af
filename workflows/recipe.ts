import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { probeStep } from './probe-step';
import { FailureType, type JobInput, type JobResult, type RecipeStep } from './model';
import { requestShares } from './pricing';
import { RUNNERS, type RecipeState } from './recipe-runners';
import { audioSteps, chainStepNames } from './recipe-steps';

/**
 * POST /v1/jobs: a chain of steps the API validated (workflows/recipe-steps.ts). It reads like the
 * recipe it is: probe the upload (media recipes), then each step in order, each one durable, billed
 * and retried on its own, its result in storage and its output feeding the steps after it.
 */
export async function recipeJob(input: JobInput): Promise<JobResult> {
  const chain = input.chain;
  if (!chain) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'recipe steps missing', nonRetryable: true });
  const job = new Job(input, chainStepNames(chain));

  return job.run(async () => {
    const st: RecipeState = { input, job, audioShares: {}, outputs: [] };
    if (chain.input === 'media') {
      st.media = await probeStep(job, input);
      job.tagDuration(st.media.duration);
      // One ⌈minutes⌉ for the request, carried by its first audio step (transcribe + diarize: once).
      st.audioShares = requestShares(audioSteps(chain.steps), st.media.duration);
    } else {
      st.text = { key: input.mediaKey, chars: chain.text?.chars ?? 0, bytes: chain.text?.bytes ?? 0 };
      if (chain.transcriptKey) {
        st.transcript = { key: chain.transcriptKey };
        st.text.fromTranscript = chain.transcriptKey; // the API stored this transcript's text at mediaKey
      }
    }

    for (const step of chain.steps) await (RUNNERS[step.step] as (s: RecipeState, x: RecipeStep) => Promise<void>)(st, step);

    return {
      jobId: input.jobId,
      recipe: input.recipe,
      // Text recipes have no audio; the "media" is the stored text (its size; no duration).
      media: st.media ?? { duration: 0, container: 'text', sizeBytes: chain.text?.bytes ?? 0, audio: { codec: 'none', sampleRate: 0, channels: 0 }, hasVideo: false },
      outputs: st.outputs,
      steps: job.steps,
      ...(st.transcript?.summary ? { transcript: st.transcript.summary } : {}),
      ...(st.textSummary ? { text: st.textSummary } : {}),
    };
  });
}
