import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody, submitMediaJob } from '../jobs/submit-media';
import { sendAudio } from '../jobs/send-output';
import { parseEnhanceParams } from '../params/enhance';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/**
 * POST /v1/enhance-audio: multipart `file` in, denoised and loudness-normalised `audio/wav` out.
 * Form fields `model`, `denoise`, `loudness`, `sample_rate` (api/params/enhance.ts); the response
 * says what ran (`X-Model`, `X-Denoise`, `X-Loudness`) beside `X-Duration` (the decoded length).
 */
export function enhanceAudioRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  // Mounted with its spec: the form is parsed with the published schema (api/params/enhance.ts).
  mount(router, SPECS.enhanceAudio, async (ctx) => {
    const { jobId, result } = await submitMediaJob(ctx, deps, jobs, 'enhance-audio', (fields) => ({ enhance: parseEnhanceParams(fields, deps.models, deps.config) }));
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'enhance-audio');
    ctx.set('X-Job-Id', jobId);
    // Jobs from before the options existed ran the ffmpeg chain.
    ctx.set('X-Model', result.enhance?.model ?? 'ffmpeg');
    if (result.enhance) {
      ctx.set('X-Denoise', String(result.enhance.strength));
      ctx.set('X-Loudness', String(result.enhance.loudnessLufs));
    }
    await sendAudio(ctx, deps.store, result, 'enhanced.wav');
  });
  return router;
}
