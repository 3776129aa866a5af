import Router from '@koa/router';
import { WHISPER_LANGUAGES } from '../../lib/catalog/languages';
import { TranslationAvailability } from '../../lib/translate/availability';
import { translationCatalog } from '../../lib/translate/catalog-view';
import type { ApiDeps } from '../deps';
import { badRequest, clip } from '../errors';

/** Public, unauthenticated catalogue: models (with what is really installed) and languages. */
export function catalogRoutes({ models, config }: Pick<ApiDeps, 'models' | 'config'>): Router {
  const router = new Router();
  const translation = new TranslationAvailability(config, models);
  router.get('/v1/models', (ctx) => {
    // Speech-recognition models first (the contract's list), then the language models; `type` tells them apart.
    ctx.body = { models: [...models.transcriptionModels(), ...models.llmModels(), ...models.ttsVoices()] };
  });
  router.get('/v1/languages', async (ctx) => {
    // The contract's list is what transcription understands; `?task=translate` is what translation serves here.
    const task = ctx.query.task;
    if (task === 'translate') return void (ctx.body = await translationCatalog(translation));
    if (task !== undefined && task !== 'transcribe') {
      throw badRequest(`Unknown task ${typeof task === 'string' ? `'${clip(task, 32)}'` : 'list'}. Valid values: transcribe, translate.`, { code: 'invalid_parameter', param: 'task', valid: ['transcribe', 'translate'] });
    }
    ctx.body = { languages: WHISPER_LANGUAGES.map(([code, name]) => ({ code, name })) };
  });
  return router;
}
