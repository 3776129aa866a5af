import Router from '@koa/router';
import type { Context } from 'koa';
import type { AnalysisDocument } from '../../activities/analyze';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob, type TextSubmission } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { transcriptTextInput } from '../jobs/transcript-source';
import { requireAccount } from '../middleware/auth';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { charsWithin } from '../params/text-input';

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

  mount(router, SPECS.analyze, (ctx, input) =>
    respond(ctx, (raw) => {
      const { text, type } = input.body(raw);
      const chars = charsWithin(text, deps.config.llm.maxTextChars);
      return { text, params: { analyze: { type, chars, bytes: Buffer.byteLength(text) } } };
    }),
  );

  mount(router, SPECS.transcriptAnalyze, requireAccount(), (ctx, { body, params }) =>
    respond(ctx, async (raw) => {
      const { type } = body(raw);
      const input = await transcriptTextInput(deps, jobs, params.id, ctx.state.tenant, deps.config.llm.maxTextChars);
      return { text: input.text, params: { analyze: { type, chars: input.chars, bytes: input.bytes, from: input.from } } };
    }),
  );
  return router;
}
