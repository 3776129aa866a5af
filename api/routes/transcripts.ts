import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { HttpError, badRequest, notFound } from '../errors';
import { isJobId } from '../jobs/ids';
import type { JobService } from '../jobs/service';
import { loadTranscript } from '../jobs/send-output';
import { buffer } from 'node:stream/consumers';
import { DOCUMENT_CONTENT_TYPES } from '../../lib/transcript/documents';
import { RenderError, RenderPool, isDocument } from '../../lib/transcript/render-pool';
import { CONTENT_TYPES } from '../../lib/transcript/formats';
import { requireAccount } from '../middleware/auth';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/** Query and path parameters: api/params/queries.ts (the schemas /openapi.json publishes). */

/** /api/v1/transcripts/: the caller's transcription jobs (Temporal visibility) and their transcripts (storage). */
export function transcriptRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router({ prefix: '/api/v1/transcripts' });
  router.use(requireAccount());
  router.param('id', async (id, ctx, next) => {
    if (!isJobId(id)) throw notFound('Transcript not found.');
    return next();
  });

  mount(router, SPECS.transcripts, async (ctx, { query }) => {
    ctx.body = await jobs.list(ctx.state.tenant, 'transcribe', {
      status: query.status,
      language: query.language,
      since: query.since ? new Date(query.since).toISOString() : undefined,
      pageSize: query.page_size ?? 20,
      pageToken: query.page_token || undefined,
    });
  });

  const transcriptOf = async (id: string, tenant: string) => {
    const view = await jobs.view(id, tenant);
    if (view.recipe !== 'transcribe') throw notFound('Transcript not found.');
    if (!view.result) return { view, transcript: null };
    const out = view.result.outputs.find((o) => o.kind === 'transcript');
    if (!out || !(await deps.store.stat(out.key))) throw notFound('Transcript not found (deleted).');
    return { view, transcript: await loadTranscript(deps.store, view.result) };
  };

  mount(router, SPECS.transcript, async (ctx, { params }) => {
    const { view, transcript } = await transcriptOf(params.id, ctx.state.tenant);
    ctx.body = { id: view.id, status: view.status, created_at: view.created_at, steps: view.steps, error: view.error, transcript };
  });

  // Deletes the transcript, the upload it came from, and the job itself (its history leaves the
  // Temporal Web UI too): a deleted transcript is gone, not just hidden. The same deletion as
  // DELETE /v1/jobs/:id (409 while the job runs).
  mount(router, SPECS.transcriptDelete, async (ctx, { params }) => {
    const { view } = await transcriptOf(params.id, ctx.state.tenant);
    await jobs.purge(view, deps.store);
    ctx.status = 204;
  });

  // Exports render in worker threads, bounded in time, size and memory: never on this event loop.
  const renderer = new RenderPool(deps.config.documents.render, deps.config.documents.pdfFont);
  /** A finished job's stored transcript, located and sized without reading it (render threads parse it). */
  const storedTranscript = async (id: string, tenant: string) => {
    const view = await jobs.view(id, tenant);
    if (view.recipe !== 'transcribe') throw notFound('Transcript not found.');
    if (!view.result) throw badRequest(`The job is ${view.status}; there is no transcript to export yet.`);
    const out = view.result.outputs.find((o) => o.kind === 'transcript');
    const info = out ? await deps.store.stat(out.key) : null;
    if (!out || !info) throw notFound('Transcript not found (deleted).');
    return { view, key: out.key, size: info.size };
  };
  mount(router, SPECS.transcriptExport, async (ctx, { params }) => {
    const { format } = params;
    const { view, key, size } = await storedTranscript(params.id, ctx.state.tenant);
    if (format === 'json') {
      // Stored as the contract's JSON already: streamed as is, never parsed here.
      ctx.type = CONTENT_TYPES.json;
      ctx.length = size;
      ctx.body = await deps.store.get(key);
    } else {
      // The filename is the uploader's string, of any length: documents.ts bounds it in the title.
      const title = isDocument(format) ? `Transcript: ${(await jobs.input(view.id))?.filename ?? view.id}` : '';
      try {
        renderer.assertInputSize(format, size);
        ctx.body = await renderer.render(format, await buffer(await deps.store.get(key)), { title });
      } catch (err) {
        throw err instanceof RenderError ? renderHttpError(err) : err;
      }
      ctx.type = isDocument(format) ? DOCUMENT_CONTENT_TYPES[format] : format === 'csv' ? 'text/csv; charset=utf-8' : CONTENT_TYPES[format];
    }
    ctx.set('Content-Disposition', `attachment; filename="${view.id}.${format}"`);
  });
  return router;
}

/** Which bound stopped an export, as HTTP: 413 too large, 504 too slow, 503 (retry) all threads busy. */
function renderHttpError(err: RenderError): HttpError {
  switch (err.kind) {
    case 'too_large':
      return new HttpError(413, err.message, { code: 'export_too_large' });
    case 'timeout':
      return new HttpError(504, err.message, { code: 'export_timeout' });
    case 'busy':
      return new HttpError(503, err.message, { code: 'export_busy' }, { 'Retry-After': '5' });
    default:
      // The cause goes to the log (error handler), not to the caller.
      return Object.assign(new HttpError(500, 'The export could not be rendered.', { code: 'export_failed' }), { cause: err });
  }
}
