import Router from '@koa/router';
import type { Context } from 'koa';
import type { GenerationDocument } from '../../activities/generate';
import { hasTimestamps } from '../../lib/llm/generate';
import type { ApiDeps } from '../deps';
import { badRequest } from '../errors';
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
 * POST /v1/generate: JSON `text` and `type` → {"type", "content", "model"}; POST
 * /api/v1/transcripts/:id/generate/: JSON `type`, on the caller's own stored transcript (its
 * timestamps and speakers in the prompt; 404 for another tenant's). `content` is Markdown for the
 * prose types and a JSON list for flashcards, quiz, chapter_markers and key_quotes (README).
 */
export function generateRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const respond = async (ctx: Context, prepare: (raw: unknown) => Promise<TextSubmission> | TextSubmission) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'generate', prepare);
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'generate');
    await sendTextDocument<GenerationDocument>(ctx, deps, jobId, result, 'generation', (doc) => ({ type: doc.type, content: doc.content, model: doc.model }));
  };

  mount(router, SPECS.generate, (ctx, input) =>
    respond(ctx, (raw) => {
      const { text, type } = input.body(raw);
      const chars = charsWithin(text, deps.config.llm.maxTextChars);
      // Chapters are places in time: plain text has none to point at (the transcript route always has them).
      if (type === 'chapter_markers' && !hasTimestamps(text)) {
        throw badRequest(
          'chapter_markers needs timestamps: send a transcript as `[mm:ss] text` lines (one per segment), or use POST /api/v1/transcripts/:id/generate/ on a stored transcript.',
          { code: 'needs_timestamps', param: 'text' },
        );
      }
      return { text, params: { generate: { type, chars, bytes: Buffer.byteLength(text) } } };
    }),
  );

  mount(router, SPECS.transcriptGenerate, requireAccount(), (ctx, { body, params }) =>
    respond(ctx, async (raw) => {
      const { type } = body(raw);
      const input = await transcriptTextInput(deps, jobs, params.id, ctx.state.tenant, deps.config.llm.maxTextChars);
      return { text: input.text, params: { generate: { type, chars: input.chars, bytes: input.bytes, from: input.from } } };
    }),
  );
  return router;
}
