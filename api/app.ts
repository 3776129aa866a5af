/** Koa app factory: no listen() here, so tests and the server entrypoint build it the same way. */
import Koa from 'koa';
import type { ApiDeps } from './deps';
import { requestId } from './middleware/request-id';
import { errorHandler } from './middleware/error-handler';
import { cors } from './middleware/cors';
import { knownMethods } from './middleware/known-methods';
import { openaiErrorShape } from './openai/errors';
import { openAiAudioRoutes } from './routes/openai-audio';
import { docsRoutes } from './routes/docs';
import { authenticate } from './middleware/auth';
import { accountRoutes } from './routes/account';
import { ttsRoutes } from './routes/tts';
import { transcriptRoutes } from './routes/transcripts';
import { JobService } from './jobs/service';
import { healthRoutes } from './routes/health';
import { catalogRoutes } from './routes/catalog';
import { demoRoutes } from './routes/demo';
import { jobRoutes } from './routes/jobs';
import { recipeRoutes } from './routes/recipes';
import { enhanceAudioRoutes } from './routes/enhance-audio';
import { transcribeRoutes } from './routes/transcribe';
import { summarizeRoutes } from './routes/summarize';
import { generateRoutes } from './routes/generate';
import { analyzeRoutes } from './routes/analyze';
import { translateRoutes } from './routes/translate';
import { chatRoutes } from './routes/chat';
import { searchRoutes } from './routes/search';
import { embedRoutes } from './routes/embed';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.proxy = deps.config.http.trustProxy;
  const jobs = new JobService(deps.temporal, deps.config);

  // Errors Koa meets outside the middleware chain (a client gone mid-body, a response stream
  // failing) go to the log, never raw to stderr; a vanished client is routine, not an error.
  app.on('error', (err: Error & { code?: string }, ctx?: Koa.Context) => {
    const log = ctx?.state?.log ?? deps.log;
    if (ctx && (ctx.req.destroyed || !ctx.req.complete)) log.debug({ err: err.message, code: err.code }, 'client went away');
    else log.error({ err }, 'response failed');
  });
  app.use(requestId(deps.log));
  // Before the error handler (its answers keep the CORS headers) and before auth (preflights carry no key).
  app.use(cors(deps.config.http.corsOrigins));
  // OpenAI's routes answer errors in OpenAI's shape (the openai SDKs read it); it reshapes what errorHandler rendered.
  app.use(openaiErrorShape());
  app.use(errorHandler());
  app.use(knownMethods());
  // Unauthenticated by contract: health and catalogue (and the API's own description: /openapi.json, /docs).
  for (const r of [healthRoutes(deps), catalogRoutes(deps), docsRoutes(), demoRoutes()]) app.use(r.routes()).use(r.allowedMethods());
  app.use(authenticate(deps));
  for (const r of [jobRoutes(deps, jobs), recipeRoutes(deps, jobs), enhanceAudioRoutes(deps, jobs), transcribeRoutes(deps, jobs), summarizeRoutes(deps, jobs), generateRoutes(deps, jobs), analyzeRoutes(deps, jobs), chatRoutes(deps, jobs), searchRoutes(deps, jobs), embedRoutes(deps, jobs), translateRoutes(deps, jobs), ttsRoutes(deps, jobs), openAiAudioRoutes(deps, jobs)]) app.use(r.routes()).use(r.allowedMethods());
  // The account API reads its JSON bodies itself (api/middleware/json-body.ts); uploads stream through api/upload.ts.
  const account = accountRoutes(deps);
  app.use(account.routes()).use(account.allowedMethods());
  const transcripts = transcriptRoutes(deps, jobs);
  app.use(transcripts.routes()).use(transcripts.allowedMethods());
  return app;
}
