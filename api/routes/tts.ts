import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTtsJob } from '../jobs/submit-tts';

/**
 * POST /v1/tts: speech from text with an installed voice, as `audio/wav`. The contract's `reference`
 * clip is validated (3–10 s, speech present, readable by content) but NOT cloned: no installed model
 * can, and the response says so (`X-Voice-Cloned: false`, `X-Voice`, `X-Model`). The WAV is
 * synthesized whole by the workflow step, then sent with its length (not streamed while it is made).
 */
export function ttsRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  router.post('/v1/tts', async (ctx) => {
    const { jobId, result } = await submitTtsJob(ctx, deps, jobs);
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'tts');
    const out = result.outputs.find((o) => o.kind === 'audio');
    if (!out || !result.tts) throw notFound('This job has no speech output.');
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Duration', result.tts.seconds.toFixed(3));
    ctx.set('X-Generation-Time', (result.tts.generationMs / 1000).toFixed(3));
    ctx.set('X-Voice', result.tts.voice);
    ctx.set('X-Model', `piper:${result.tts.voice}`);
    ctx.set('X-Voice-Cloned', 'false');
    ctx.set('X-Sample-Rate', String(result.tts.sampleRate));
    ctx.set('Content-Disposition', 'attachment; filename="speech.wav"');
    ctx.type = out.contentType;
    ctx.length = out.sizeBytes;
    ctx.body = await deps.store.get(out.key);
  });
  return router;
}
