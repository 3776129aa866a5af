import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody, submitMediaJob } from '../jobs/submit-media';
import { sendAudio } from '../jobs/send-output';

/** POST /v1/enhance-audio: multipart `file` in, denoised and loudness-normalised `audio/wav` out. */
export function enhanceAudioRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  router.post('/v1/enhance-audio', async (ctx) => {
    const { jobId, result } = await submitMediaJob(ctx, deps, jobs, 'enhance-audio');
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'enhance-audio');
    ctx.set('X-Job-Id', jobId);
    await sendAudio(ctx, deps.store, result, 'enhanced.wav');
  });
  return router;
}
