import Router from '@koa/router';
import type { Context } from 'koa';
import type { AnalysisDocument } from '../../activities/analyze';
import { ANALYSIS_TYPES } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob, type TextSubmission } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { transcriptTextInput } from '../jobs/transcript-source';
import { requireAccount } from '../middleware/auth';
import { requireObject, requireOneOf, requireText } from '../params/text-input';

/**
 * POST /v1/analyze: JSON `text` and `type` → {"type", "result", "model"}; POST
 * /api/v1/transcripts/:id/analyze/: JSON `type`, on the caller's own stored transcript (its
 * speakers and times in the text: sentiment per speaker, who asked a question and when; 404 for
 * another tenant's). Each type's `result` shape: lib/llm/analysis-schemas.ts (README).
 */
export function analyzeRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const respond = async (ctx: Context, prepare: (raw: unknown) => Promise<TextSubmission> | TextSubmission) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'analyze', prepare);
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'analyze');
    await sendTextDocument<AnalysisDocument>(ctx, deps, jobId, result, 'analysis', (doc) => ({ type: doc.type, result: doc.result, model: doc.model }));
  };

  router.post('/v1/analyze', (ctx) =>
    respond(ctx, (raw) => {
      const body = requireObject(raw, '`text` and `type`');
      const { text, chars } = requireText(body, deps.config.llm.maxTextChars);
      const type = requireOneOf(body, 'type', ANALYSIS_TYPES);
      return { text, params: { analyze: { type, chars, bytes: Buffer.byteLength(text) } } };
    }),
  );

  router.post('/api/v1/transcripts/:id/analyze', requireAccount(), (ctx) =>
    respond(ctx, async (raw) => {
      const type = requireOneOf(requireObject(raw, '`type`'), 'type', ANALYSIS_TYPES);
      const input = await transcriptTextInput(deps, jobs, ctx.params.id, ctx.state.tenant, deps.config.llm.maxTextChars);
      return { text: input.text, params: { analyze: { type, chars: input.chars, bytes: input.bytes, from: input.from } } };
    }),
  );
  return router;
}
