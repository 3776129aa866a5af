import Router from '@koa/router';
import type { Context } from 'koa';
import { outputKey, type JobResult } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import type { JobService } from '../jobs/service';
import { openSpeechStream, streamAllowed } from '../jobs/stream-tts';
import { acceptedBody } from '../jobs/submit-media';
import { submitTtsJob } from '../jobs/submit-tts';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/**
 * POST /v1/tts: speech from text with an installed voice, as `audio/wav`. The contract's `reference`
 * clip is validated (3–10 s, speech present, readable by content) but NOT cloned: no installed model
 * can, and the response says so (`X-Voice-Cloned: false`, `X-Voice`, `X-Model`).
 *
 * Streamed by default (api/jobs/stream-tts.ts): the WAV is sent sentence by sentence while the
 * workflow step makes it, chunked, with `X-Duration` and `X-Generation-Time` as HTTP trailers (not
 * known when the headers go). `stream=false`, an HTTP/1.0 client, a resampled `sample_rate`, or a
 * job that ended before its first sentence was seen get the complete WAV with Content-Length and
 * those two as headers.
 */
export function ttsRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  // Mounted with its spec: the body is parsed with the published schema (api/params/tts-input.ts).
  mount(router, SPECS.tts, async (ctx) => {
    const voiceRate = (voice: string) => deps.models.ttsVoices().find((v) => v.id === voice)?.sample_rate;
    const { jobId, result: waited, async, params, fields } = await submitTtsJob(ctx, deps, jobs, { wait: false });
    if (async) return acceptedBody(ctx, deps, jobs, jobId, 'tts');
    const rate = voiceRate(params.voice);
    const resampled = params.sampleRate !== undefined && params.sampleRate !== rate;
    if (waited || !rate || !streamAllowed(ctx, fields, resampled)) {
      const result = waited ?? (await jobs.waitForResult(jobId, deps.config.http.syncWaitMs));
      if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'tts');
      return sendWhole(ctx, deps, jobId, result);
    }
    const opened = await openSpeechStream({
      store: deps.store,
      jobs,
      jobId,
      outputKey: outputKey(jobId, 'speech.wav'),
      sampleRate: rate,
      waitMs: deps.config.http.syncWaitMs,
      beforeEnd: (result) => result.tts && ctx.res.addTrailers(timingHeaders(result.tts)),
    });
    if (!opened) return acceptedBody(ctx, deps, jobs, jobId, 'tts');
    if ('result' in opened) return sendWhole(ctx, deps, jobId, opened.result);
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Voice', params.voice);
    ctx.set('X-Model', `piper:${params.voice}`);
    ctx.set('X-Voice-Cloned', 'false');
    ctx.set('X-Sample-Rate', String(rate));
    ctx.set('X-Streamed', 'true');
    ctx.set('Trailer', 'X-Duration, X-Generation-Time');
    ctx.set('Content-Disposition', 'attachment; filename="speech.wav"');
    ctx.type = 'audio/wav';
    // Headers are gone once audio flows: a failure mid-speech can only cut the chunked body short
    // (no terminating chunk), which every HTTP client reports as an error rather than a short WAV.
    opened.body.on('error', (err) => {
      ctx.state.log?.warn({ jobId, err: String(err) }, 'tts stream failed after the first sentence');
      ctx.res.destroy();
    });
    ctx.body = opened.body;
  });
  return router;
}

const timingHeaders = (tts: NonNullable<JobResult['tts']>) => ({
  'X-Duration': tts.seconds.toFixed(3),
  'X-Generation-Time': (tts.generationMs / 1000).toFixed(3),
});

async function sendWhole(ctx: Context, deps: ApiDeps, jobId: string, result: JobResult): Promise<void> {
  const out = result.outputs.find((o) => o.kind === 'audio');
  if (!out || !result.tts) throw notFound('This job has no speech output.');
  ctx.set('X-Job-Id', jobId);
  for (const [k, v] of Object.entries(timingHeaders(result.tts))) ctx.set(k, v);
  ctx.set('X-Voice', result.tts.voice);
  ctx.set('X-Model', `piper:${result.tts.voice}`);
  ctx.set('X-Voice-Cloned', 'false');
  ctx.set('X-Sample-Rate', String(result.tts.sampleRate));
  ctx.set('Content-Disposition', 'attachment; filename="speech.wav"');
  ctx.type = out.contentType;
  ctx.length = out.sizeBytes;
  ctx.body = await deps.store.get(out.key);
}
