import Router from '@koa/router';
import { SUMMARY_STYLES } from '../../workflows/model';
import type { SummaryDocument } from '../../activities/summarize';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { oneOf, requireObject, requireText } from '../params/text-input';

/**
 * POST /v1/summarize: JSON `text` (required) and `style` (brief, detailed, action_items,
 * bullet_points; default brief) → {"summary", "style", "model"}, the model being the LLM that ran.
 */
export function summarizeRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  router.post('/v1/summarize', async (ctx) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'summarize', (raw) => {
      const body = requireObject(raw, '`text` and an optional `style`');
      const { text, chars } = requireText(body, deps.config.llm.maxTextChars);
      const style = oneOf(body, 'style', SUMMARY_STYLES, 'brief');
      return { text, params: { summarize: { style, chars, bytes: Buffer.byteLength(text) } } };
    });
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'summarize');
    await sendTextDocument<SummaryDocument>(ctx, deps, jobId, result, 'summary', (doc) => ({ summary: doc.summary, style: doc.style, model: doc.model }));
  });
  return router;
}
