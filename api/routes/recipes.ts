import Router from '@koa/router';
import { TranslationAvailability } from '../../lib/translate/availability';
import type { JobInput } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import type { JobService } from '../jobs/service';
import { acceptedBody, submitMediaJob } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { transcriptTextInput } from '../jobs/transcript-source';
import { readChain, stepEnv } from '../params/recipe';
import { charsWithin } from '../params/text-input';
import { HttpError, notFound } from '../errors';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/**
 * POST /v1/jobs: a recipe — an ordered list of steps (`steps`) or a named `preset` — on an uploaded
 * file (multipart: `file`, `steps` as JSON text or `preset`) or on text (JSON: `text` or
 * `transcript_id`, with `steps` or `preset`). The chain is validated before anything is stored or
 * charged (400 naming the first step that cannot run, and why). Like every job endpoint it waits
 * for the result unless asked to answer at once (`Prefer: respond-async` or `async=true`: 202);
 * the answer is the job view (GET /v1/jobs/:id). `webhook_url` (+ `webhook_secret`), as on every
 * job endpoint (api/params/webhook.ts), is notified when the job ends.
 */
export function recipeRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const availability = new TranslationAvailability(deps.config, deps.models);
  const env = async () => stepEnv(deps.models, await availability.pairs(), deps.config);

  // Mounted with its spec: the JSON body and the form are parsed with the published schemas (api/params/recipe-input.ts).
  mount(router, SPECS.recipe, async (ctx, { body: parseBody, form }) => {
    let jobId: string;
    let done: boolean;
    if (ctx.is('multipart/form-data')) {
      const validated = await env();
      const sub = await submitMediaJob(ctx, deps, jobs, 'recipe', async (fields) => {
        const f = form(fields);
        const { name, steps } = readChain('media', f.steps, f.preset, validated);
        return { chain: { name, input: 'media', steps } } satisfies Pick<JobInput, 'chain'>;
      });
      ({ jobId } = sub);
      done = sub.result !== null;
    } else {
      const sub = await submitTextJob(ctx, deps, jobs, 'recipe', async (raw) => {
        const body = parseBody(raw);
        const hasText = typeof body.text === 'string';
        const input = hasText ? 'text' : 'transcript';
        const { name, steps } = readChain(input, body.steps, body.preset, await env());
        let text: string;
        let chars: number;
        let transcriptKey: string | undefined;
        if (typeof body.text === 'string') ({ text, chars } = { text: body.text, chars: charsWithin(body.text, deps.config.llm.maxTextChars) });
        else {
          const transcriptId = body.transcript_id as string; // the schema holds exactly one of text and transcript_id
          // Another tenant's id is answered like an unknown one (404), as on /api/v1/transcripts/:id.
          ({ text, chars } = await transcriptTextInput(deps, jobs, transcriptId, ctx.state.tenant, deps.config.llm.maxTextChars).catch((err: unknown) => {
            throw err instanceof HttpError && err.status === 404 ? notFound('Transcript not found: `transcript_id` must be the id of one of your transcription jobs.') : err;
          }));
          const view = await jobs.view(transcriptId, ctx.state.tenant);
          transcriptKey = view.result?.outputs.find((o) => o.kind === 'transcript')?.key;
        }
        const bytes = Buffer.byteLength(text);
        return {
          text,
          params: { chain: { name, input, ...(transcriptKey ? { transcriptKey } : {}), text: { chars, bytes }, steps } },
        };
      });
      ({ jobId } = sub);
      done = sub.result !== null;
    }
    if (!done) return acceptedBody(ctx, deps, jobs, jobId, 'recipe');
    // It succeeded (a failure throws): its view from one read of its history.
    ctx.body = await jobs.finishedView(jobId, ctx.state.tenant);
  });
  return router;
}
