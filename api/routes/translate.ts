import Router from '@koa/router';
import type { TranslationDocument } from '../../activities/translate';
import { TranslationAvailability } from '../../lib/translate/availability';
import type { PairChoice } from '../../lib/translate/pairs';
import type { ApiDeps } from '../deps';
import { badRequest, clip } from '../errors';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { sendTextDocument } from '../jobs/text-response';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { translateTexts } from '../params/translate-input';

const describe = (p: PairChoice) => `${p.source}→${p.target} (${p.engine}${p.chrF === null ? '' : `, chrF ${p.chrF}`})`;

/**
 * POST /v1/translate: `text` or `texts`, `target`, `source` (default en) → the contract's single
 * body {"translated_text", "source_language", "target_language"} or batch body {"translations":
 * [{"translated_text"}]}, each with "model" (the engine that ran). The engine per pair is the one
 * measured best among those installed (lib/translate/pairs.ts); a pair nothing here serves is a 400
 * listing what is served.
 */
export function translateRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const availability = new TranslationAvailability(deps.config, deps.models);
  mount(router, SPECS.translate, async (ctx, input) => {
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'translate', async (raw) => {
      const body = translateTexts(input.body(raw), { maxChars: deps.config.llm.maxTextChars, maxTexts: deps.config.translate.maxTexts });
      const pairs = await availability.pairs();
      const supported = { supported: pairs.map((p) => ({ source: p.source, target: p.target, engine: p.engine, model: p.model, chrF: p.chrF })) };
      if (!body.target) {
        const targets = pairs.filter((p) => p.source === body.source).map((p) => p.target);
        throw badRequest(
          `\`target\` is required: the language to translate into. From '${clip(body.source, 16)}' this server translates into: ${targets.join(', ') || 'nothing'}. Supported pairs: ${pairs.map(describe).join(', ')}.`,
          { code: 'missing_parameter', param: 'target', valid: targets, ...supported },
        );
      }
      const choice = pairs.find((p) => p.source === body.source && p.target === body.target);
      if (!choice) {
        throw badRequest(
          `Translation from '${clip(body.source, 16)}' to '${clip(body.target, 16)}' is not supported on this server. Supported pairs: ${pairs.map(describe).join(', ') || 'none (no engine installed)'}.`,
          { code: 'unsupported_pair', param: 'target', valid: pairs.filter((p) => p.source === body.source).map((p) => p.target), ...supported },
        );
      }
      return {
        text: body.batch ? JSON.stringify(body.texts) : body.texts[0],
        contentType: body.batch ? 'application/json' : undefined,
        params: {
          translate: { source: choice.source, target: choice.target, engine: choice.engine, batch: body.batch, chars: body.chars, bytes: Buffer.byteLength(body.batch ? JSON.stringify(body.texts) : body.texts[0]) },
        },
      };
    });
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'translate');
    await sendTextDocument<TranslationDocument>(ctx, deps, jobId, result, 'translation', (doc) =>
      doc.batch
        ? { translations: doc.translations.map((t) => ({ translated_text: t })), model: doc.model }
        : { translated_text: doc.translations[0], source_language: doc.source_language, target_language: doc.target_language, model: doc.model },
    );
  });
  return router;
}
