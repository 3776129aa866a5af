import { ApplicationFailure } from '@temporalio/workflow';
import { Job } from './job';
import { FailureType, type JobInput, type JobResult } from './model';
import { ragActivities } from './rag-activities';
import { searchResultKey } from '../lib/rag/keys';

/**
 * GET /api/v1/search: one free search step on the gpu worker (the query embedded there, never in
 * the API process; exact scoring over the tenant's stored vectors). The query and the list of
 * transcripts are the stored request at `mediaKey`; the results a stored document.
 */
export async function searchJob(input: JobInput): Promise<JobResult> {
  const options = input.search;
  if (!options) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'search options missing', nonRetryable: true });
  const job = new Job(input, ['search']);
  const rag = ragActivities(input.queues);
  return job.run(async () => {
    const out = await job.step('search', () => rag.searchTranscripts({ requestKey: input.mediaKey, outputKey: searchResultKey(input.jobId) }));
    return {
      jobId: input.jobId,
      recipe: input.recipe,
      media: { duration: 0, container: 'text', sizeBytes: 0, audio: { codec: 'none', sampleRate: 0, channels: 0 }, hasVideo: false },
      outputs: [{ kind: 'search', key: out.key, contentType: out.contentType, sizeBytes: out.sizeBytes }],
      steps: job.steps,
      text: { model: out.embeddingModel, style: 'search', chunks: out.searched, promptTokens: 0, outputTokens: 0 },
    };
  });
}
