import { Job } from './job';
import { controlActivities } from './activities';
import type { JobInput, JobResult } from './model';

/** The smallest real job: probe an upload. Used by the orchestration benchmark and health checks of the pipeline. */
export async function probeJob(input: JobInput): Promise<JobResult> {
  const job = new Job(input, ['probe']);
  const control = controlActivities(input.queues);
  return job.run(async () => {
    const media = await job.step('probe', () => control.probe({ key: input.mediaKey }));
    return { jobId: input.jobId, recipe: input.recipe, media, outputs: [], steps: job.steps };
  });
}
