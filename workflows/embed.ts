import { proxyActivities } from '@temporalio/workflow';
import type { GpuActivities } from '../activities';
import { embeddingsKey } from './embed-keys';
import type { JobInput, JobResult } from './model';
import { runTextJob } from './text-job';

/**
 * POST /v1/embed: one billed `embed` step on the gpu worker's sentence embedder. The texts are the
 * stored JSON array at `mediaKey` and the vectors a stored JSON document (256 × 384 floats is ~2.5 MB
 * of JSON): neither passes through workflow history, which holds keys and counts only.
 */
export async function embedJob(input: JobInput): Promise<JobResult> {
  const options = input.embed;
  const { embed } = proxyActivities<GpuActivities>({
    taskQueue: input.queues.gpu,
    // A full batch is seconds of CPU work; the step heartbeats per sub-batch, so a dead worker is noticed quickly.
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '60 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
  });
  return runTextJob(input, 'embed', 'embeddings', options, () => embed({ textKey: input.mediaKey, outputKey: embeddingsKey(input.jobId) }));
}
