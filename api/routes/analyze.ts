import Router from '@koa/router';
import type { Context } from 'koa';
import type { AnalysisDocument } from '../../activities/analyze';
import { ANALYSIS_TYPES, type AnalysisType } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { badRequest } from '../errors';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob, type TextSubmission } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { transcriptTextInput } from '../jobs/transcript-source';
import { requireAccount } from '../middleware/auth';
import { oneOf, requireObject, requireText, type JsonObject } from '../params/text-input';

/** `type` is required (no analysis is a natural default); anything else is 400 naming every valid type. */
function requireType(body: JsonObject): AnalysisType {
  if (body.type === undefined || body.type === null) {
    throw badRequest(`\`type\` is required. Valid values: ${ANALYSIS_TYPES.join(', ')}.`, { code: 'missing_parameter', param: 'type', valid: ANALYSIS_TYPES });
  }
  return oneOf(body, 'type', ANALYSIS_TYPES, ANALYSIS_TYPES[0]);
}

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
      const type = requireType(body);
      return { text, params: { analyze: { type, chars, bytes: Buffer.byteLength(text) } } };
    }),
  );

  router.post('/api/v1/transcripts/:id/analyze', requireAccount(), (ctx) =>
    respond(ctx, async (raw) => {
      const type = requireType(requireObject(raw, '`type`'));
      const input = await transcriptTextInput(deps, jobs, ctx.params.id, ctx.state.tenant, deps.config.llm.maxTextChars);
      return { text: input.text, params: { analyze: { type, chars: input.chars, bytes: input.bytes, from: input.from } } };
    }),
  );
  return router;
}
