import Router from '@koa/router';
import type { EmbeddingsDocument } from '../../activities/embed';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { embedTexts } from '../params/embed-input';

/**
 * POST /v1/embed: `{"texts": [...]}` (or `{"text": "..."}`) → `{"embeddings": [[384 floats]],
 * "dimensions": 384, "model": "all-minilm-l6-v2", "truncated": [bool per text]}`. Vectors are
 * L2-normalized (cosine similarity = dot product); `truncated[i]` is true when text i had more than 256
 * word pieces and only its start was embedded, as sentence-transformers does. Runs as a one-step
 * `embed` job on the gpu worker, priced like the other text endpoints (1 credit per started 4,000
 * characters of all texts together, charged once); `?async=true` answers 202 like them.
 */
export function embedRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  mount(router, SPECS.embed, async (ctx, input) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'embed', (raw) => {
      const body = embedTexts(input.body(raw), {
        maxTexts: deps.config.embed.maxTexts,
        maxChars: deps.config.embed.maxChars,
        maxTotalChars: deps.config.llm.maxTextChars,
      });
      const text = JSON.stringify(body.texts);
      return { text, contentType: 'application/json', params: { embed: { texts: body.texts.length, chars: body.chars, bytes: Buffer.byteLength(text) } } };
    });
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'embed');
    await sendTextDocument<EmbeddingsDocument>(ctx, deps, jobId, result, 'embeddings', (doc) => ({
      embeddings: doc.embeddings,
      dimensions: doc.dimensions,
      model: doc.model,
      truncated: doc.truncated,
    }));
  });
  return router;
}
