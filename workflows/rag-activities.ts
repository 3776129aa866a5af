/** Activity stubs of the RAG steps (embedding and retrieval on the gpu queue). */
import { proxyActivities } from '@temporalio/workflow';
import type { GpuActivities } from '../activities';
import type { TaskQueues } from './model';

export function ragActivities(queues: TaskQueues) {
  // Embedding a transcript takes seconds (MiniLM, batches of 32 with heartbeats between them). The
  // embed step of a transcription is not what the caller waits for most, so it gives up sooner than
  // the transcription's own steps: vectors it could not make are made on first use by chat/search.
  const embed = proxyActivities<GpuActivities>({
    taskQueue: queues.gpu,
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '60 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
  });
  // Chat and search answer a waiting caller; the chat step runs the LLM (heartbeats every few seconds).
  const answer = proxyActivities<GpuActivities>({
    taskQueue: queues.gpu,
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '60 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
  });
  return { embedTranscript: embed.embedTranscript, chat: answer.chat, searchTranscripts: answer.searchTranscripts };
}
