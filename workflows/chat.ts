import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';
import { ragActivities } from './rag-activities';
import { chatAnswerKey } from '../lib/rag/keys';

/**
 * POST /api/v1/transcripts/:id/chat/: one billed chat step on the gpu worker (retrieval over the
 * transcript's vectors, then the LLM). The question and session history are the stored request
 * document at `mediaKey`, the answer a stored document: neither enters workflow history.
 */
export async function chatJob(input: JobInput): Promise<JobResult> {
  const rag = ragActivities(input.queues);
  return runTextJob(input, 'chat', 'answer', input.chat, () => rag.chat({ textKey: input.mediaKey, outputKey: chatAnswerKey(input.jobId) }));
}
