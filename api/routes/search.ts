import crypto from 'node:crypto';
import Router from '@koa/router';
import type { SearchRequestDocument, SearchResultDocument } from '../../lib/rag/search-documents';
import { mediaKey } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { badRequest } from '../errors';
import type { JobService } from '../jobs/service';
import { acceptedBody, admitRequest, wantsAsync } from '../jobs/submit-media';
import { readTextDocument } from '../jobs/text-response';
import { requireAccount } from '../middleware/auth';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

const DEFAULT_LIMIT = 10;

/**
 * GET /api/v1/search?q=...&limit=...: semantic search over all of the caller's finished
 * transcripts → {"query", "results": [{"transcript_id", "segment_order", "start", "end", "text",
 * "score"}], "searched", "model"}, best first. The tenant's transcripts come from the job list
 * (Temporal visibility, newest first, at most VOXFLOW_SEARCH_MAX_TRANSCRIPTS); the query is embedded
 * and scored on the gpu worker (workflows/search.ts), never in this process. Free.
 */
export function searchRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const { maxQuestionChars, searchMaxLimit, searchMaxTranscripts } = deps.config.rag;

  mount(router, SPECS.search, requireAccount(), async (ctx, { query }) => {
    const q = query.q;
    if ([...q].length > maxQuestionChars) throw badRequest(`\`q\` is longer than ${maxQuestionChars.toLocaleString('en-US')} characters.`, { code: 'invalid_parameter', param: 'q', limit: maxQuestionChars });
    const rawLimit = query.limit;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > searchMaxLimit) {
      throw badRequest(`\`limit\` must be a whole number from 1 to ${searchMaxLimit}.`, { code: 'invalid_parameter', param: 'limit' });
    }
    const tenant: string = ctx.state.tenant;
    const transcriptIds = await finishedTranscripts(jobs, tenant, searchMaxTranscripts);
    if (transcriptIds.length === 0) {
      ctx.body = { query: q, results: [], searched: 0, model: null };
      return;
    }

    const { jobId, admission } = await admitRequest(ctx, deps);
    const key = mediaKey(crypto.randomUUID(), 'json');
    const request: SearchRequestDocument = { query: q, limit, transcriptIds };
    let stored = false;
    try {
      await deps.store.put(key, JSON.stringify(request), { contentType: 'application/json' });
      stored = true;
      const { created } = await jobs.submit({ jobId, tenant, recipe: 'search', mediaKey: key, filename: 'search.json', search: { limit, transcripts: transcriptIds.length }, ...admission.job });
      if (!created) {
        await deps.store.delete(key);
        await admission.undo();
      }
    } catch (err) {
      await admission.undo();
      if (stored) await deps.store.delete(key).catch(() => undefined);
      throw err;
    }
    const result = wantsAsync(ctx, {}) ? null : await jobs.waitForResult(jobId, deps.config.http.syncWaitMs);
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'search');
    const doc = await readTextDocument<SearchResultDocument>(deps, result, 'search');
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Model', doc.embeddingModel);
    ctx.body = { query: q, results: doc.results, searched: doc.searched, model: doc.embeddingModel };
  });
  return router;
}

/** The tenant's succeeded transcriptions, newest first, up to `max`. */
async function finishedTranscripts(jobs: JobService, tenant: string, max: number): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await jobs.list(tenant, 'transcribe', { status: 'succeeded', pageSize: 100, pageToken });
    for (const j of page.jobs) if (ids.length < max) ids.push(j.id);
    pageToken = page.next_page_token ?? undefined;
  } while (pageToken && ids.length < max);
  return ids;
}
