import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody, submitMediaJob } from '../jobs/submit-media';
import { sendTranscript } from '../jobs/send-output';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { parseTranscribeParams, type TranscribeParams } from '../params/transcribe';

/** POST /v1/transcribe: multipart `file` + contract parameters → transcript (json, txt, srt or vtt). */
export function transcribeRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  mount(router, SPECS.transcribe, async (ctx) => {
    let params: TranscribeParams | undefined;
    const { jobId, result } = await submitMediaJob(ctx, deps, jobs, 'transcribe', (fields) => {
      params = parseTranscribeParams(fields, deps.models);
      return { transcribe: params.options };
    });
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'transcribe');
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Model', result.transcript?.model ?? '');
    await sendTranscript(ctx, deps.store, result, params!.format);
  });
  return router;
}
