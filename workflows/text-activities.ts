/** Activity stubs of the text steps (LLM inference on the gpu queue). */
import { proxyActivities } from '@temporalio/workflow';
import type { GpuActivities } from '../activities';
import type { TaskQueues } from './model';

export function textActivities(queues: TaskQueues) {
  const llm = proxyActivities<GpuActivities>({
    taskQueue: queues.gpu,
    startToCloseTimeout: '4 hours',
    // The step heartbeats every few seconds while its worker lives (activities/summarize.ts): a killed
    // worker is noticed after this long, and the retry resumes from the intermediate summaries in storage.
    heartbeatTimeout: '60 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 4 },
  });
  return { summarize: llm.summarize, generate: llm.generate, analyze: llm.analyze, translate: llm.translate };
}
