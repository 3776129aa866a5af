import Router from '@koa/router';
import { WHISPER_LANGUAGES } from '../../lib/catalog/languages';
import type { ApiDeps } from '../deps';

/** Public, unauthenticated catalogue: models (with what is really installed) and languages. */
export function catalogRoutes({ models }: Pick<ApiDeps, 'models'>): Router {
  const router = new Router();
  router.get('/v1/models', (ctx) => {
    // Speech-recognition models first (the contract's list), then the language models; `type` tells them apart.
    ctx.body = { models: [...models.transcriptionModels(), ...models.llmModels()] };
  });
  router.get('/v1/languages', (ctx) => {
    ctx.body = { languages: WHISPER_LANGUAGES.map(([code, name]) => ({ code, name })) };
  });
  return router;
}
