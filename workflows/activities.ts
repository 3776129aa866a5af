/** Activity stubs bound to their task queues, shared by the recipe workflows. */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ControlActivities, GpuActivities } from '../activities';
import type { TaskQueues } from './model';

const CONTROL_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 } as const;

/**
 * Control steps (probe, ledger, slots) are short and run where the workflow runs, so they are local
 * activities: no task-queue round trip and no extra workflow task each (about 20 ms saved per step,
 * measured). Jobs started before that change keep replaying with regular activities (`patched`).
 */
export function controlActivities(queues: TaskQueues) {
  if (patched('control-steps-as-local-activities')) {
    return proxyLocalActivities<ControlActivities>({ startToCloseTimeout: '2 minutes', retry: CONTROL_RETRY });
  }
  return proxyActivities<ControlActivities>({ taskQueue: queues.control, startToCloseTimeout: '2 minutes', retry: CONTROL_RETRY });
}

export function gpuActivities(queues: TaskQueues) {
  const common = {
    taskQueue: queues.gpu,
    startToCloseTimeout: '4 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
  } as const;
  // A killed worker is noticed after this long without a heartbeat, then the step is retried elsewhere.
  const media = proxyActivities<GpuActivities>({ ...common, heartbeatTimeout: '15 seconds' });
  // Inference heartbeats between chunks; one chunk's session.run blocks the event loop, so allow more.
  const inference = proxyActivities<GpuActivities>({ ...common, heartbeatTimeout: '60 seconds' });
  return { enhance: media.enhance, measureAudio: media.measureAudio, transcribe: inference.transcribe, diarize: inference.diarize, tts: inference.tts };
}

/**
 * Storage clean-up after a job (best effort: a job's outcome never waits long on it, and the
 * retention schedule deletes whatever is left), so few quick attempts.
 */
export function cleanupActivities() {
  return proxyLocalActivities<ControlActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3 },
  });
}
