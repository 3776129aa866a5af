import Router from '@koa/router';
import type { Context } from 'koa';
import { WHISPER_LANGUAGES } from '../../lib/catalog/languages';
import { TranslationAvailability } from '../../lib/translate/availability';
import { translationCatalog } from '../../lib/translate/catalog-view';
import type { ApiDeps } from '../deps';
import { clip, notFound } from '../errors';
import { withOpenAiList } from '../openai/models';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/** Public, unauthenticated catalogue: models (with what is really installed) and languages. */
export function catalogRoutes({ models, config }: Pick<ApiDeps, 'models' | 'config'>): Router {
  const router = new Router();
  const translation = new TranslationAvailability(config, models);
  const listModels = (ctx: Context) => {
    // Speech-recognition models first (the contract's list), then the language models; `type` tells them apart.
    ctx.body = { models: [...models.transcriptionModels(), ...models.llmModels(), ...models.ttsVoices(), ...models.denoiserModels(), ...models.embeddingModels()] };
    // OpenAI's list beside the contract's, in the same body: openai clients' models.list() reads `object` and `data`.
    ctx.body = withOpenAiList(ctx.body as Parameters<typeof withOpenAiList>[0]);
  };
  mount(router, SPECS.models, listModels);
  mount(router, SPECS.model, (ctx, { params }) => {
    listModels(ctx);
    const found = (ctx.body as ReturnType<typeof withOpenAiList>).data.find((m) => m.id === params.id);
    if (!found) throw notFound(`The model '${clip(params.id)}' does not exist or is not installed on this server.`);
    ctx.body = found;
  });
  mount(router, SPECS.languages, async (ctx, { query }) => {
    // The contract's list is what transcription understands; `?task=translate` is what translation serves here.
    if (query.task === 'translate') return void (ctx.body = await translationCatalog(translation));
    ctx.body = { languages: WHISPER_LANGUAGES.map(([code, name]) => ({ code, name })) };
  });
  return router;
}
