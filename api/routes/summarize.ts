import Router from '@koa/router';
import type { SummaryDocument } from '../../activities/summarize';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { charsWithin } from '../params/text-input';

/**
 * POST /v1/summarize: JSON `text` (required) and `style` (brief, detailed, action_items,
 * bullet_points; default brief) → {"summary", "style", "model"}, the model being the LLM that ran.
 */
export function summarizeRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  mount(router, SPECS.summarize, async (ctx, input) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'summarize', (raw) => {
      const { text, style: given } = input.body(raw);
      const chars = charsWithin(text, deps.config.llm.maxTextChars);
      const style = given ?? 'brief';
      return { text, params: { summarize: { style, chars, bytes: Buffer.byteLength(text) } } };
    });
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'summarize');
    await sendTextDocument<SummaryDocument>(ctx, deps, jobId, result, 'summary', (doc) => ({ summary: doc.summary, style: doc.style, model: doc.model }));
  });
  return router;
}
