/**
 * OpenAI-compatible speech routes, so the official openai SDKs (and tools built on them) work
 * against voxflow unchanged: POST /v1/audio/transcriptions and POST /v1/audio/translations (to
 * English). Same upload path, auth, admission, limits and billing as POST /v1/transcribe (it is
 * the transcribe recipe, diarization off); OpenAI's parameters, response formats and error shape.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody, submitMediaJob } from '../jobs/submit-media';
import { loadTranscript } from '../jobs/send-output';
import { parseOpenAiAudioParams, type OpenAiAudioParams, type OpenAiTask } from '../openai/params';
import { OPENAI_CONTENT_TYPES, renderOpenAi } from '../openai/render';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

export function openAiAudioRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const handle = (task: OpenAiTask) => async (ctx: Context) => {
    let params: OpenAiAudioParams | undefined;
    const { jobId, result } = await submitMediaJob(ctx, deps, jobs, 'transcribe', (fields) => {
      params = parseOpenAiAudioParams(fields, deps.models, task);
      return { transcribe: params.options };
    });
    // `Prefer: respond-async` (ours, not OpenAI's) still answers 202 with the job to poll.
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'transcribe');
    const transcript = await loadTranscript(deps.store, result);
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Model', transcript.model);
    ctx.set('X-Duration', result.media.duration.toFixed(3));
    ctx.body = renderOpenAi(transcript, params!.format, task, params!);
    ctx.type = OPENAI_CONTENT_TYPES[params!.format]; // after the body: Koa types a body it is given
  };
  mount(router, SPECS.openAiTranscriptions, handle('transcribe'));
  mount(router, SPECS.openAiTranslations, handle('translate'));
  return router;
}
