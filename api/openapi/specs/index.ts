/**
 * Every HTTP route's spec, by name: the routes mount themselves with theirs (api/openapi/route.ts),
 * which validates with the very schemas below, and /openapi.json is generated from ROUTE_SPECS. A
 * route added to a Koa router without its spec fails test/api/openapi.test.ts. Request schemas live
 * beside the code that reads them (api/params/, api/openai/schemas.ts); responses in ../schemas.ts.
 */
import { z } from 'zod';
import { DOCUMENT_CONTENT_TYPES } from '../../../lib/transcript/documents';
import { accountPatch, keyCreate } from '../../params/account';
import { embedBody } from '../../params/embed-input';
import { enhanceForm } from '../../params/enhance';
import { assetParams, exportParams, idParams, jobIdParams, jobResultQuery, languagesQuery, searchQuery, transcriptsQuery } from '../../params/queries';
import { recipeBody, recipeForm } from '../../params/recipe-input';
import { analyzeBody, chatBody, generateBody, summarizeBody, transcriptAnalyzeBody, transcriptGenerateBody } from '../../params/text-jobs';
import { transcribeForm } from '../../params/transcribe';
import { translateBody } from '../../params/translate-input';
import { ttsBody, ttsForm } from '../../params/tts-input';
import { ANALYSIS_TYPES, GENERATION_TYPES, SUMMARY_STYLES } from '../../../workflows/model';
import { openAiErrorSchema, transcriptionForm, transcriptionJson, transcriptionVerbose, translationForm } from '../../openai/schemas';
import { errorSchema, type RouteSpec } from '../registry';
import * as s from '../schemas';

/** Keeps each spec's schema types, so a mounted handler's parsed input is typed. */
const route = <P extends z.ZodObject, Q extends z.ZodObject, J extends z.ZodType, F extends z.ZodObject>(spec: RouteSpec<P, Q, J, F>) => spec;

const json = (schema: z.ZodType) => ({ 'application/json': schema });
const jobHeaders = z.object({
  'Idempotency-Key': z.string().max(255).optional().describe('Retrying with the same key returns the first request’s job instead of starting another.'),
  Prefer: z.string().optional().describe('`respond-async`: answer 202 with the job at once instead of waiting for its result.'),
});
const accepted = { description: 'Accepted: the job runs; poll `status_url` (also in Location).', content: json(s.jobAccepted), headers: ['Location'] };
const transcriptOut = (description: string) => ({
  description,
  content: { ...json(s.transcript), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text },
  headers: ['X-Job-Id', 'X-Model'],
});
const openAiOut = (description: string) => ({
  description,
  content: { 'application/json': z.union([transcriptionJson, transcriptionVerbose]), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text },
  headers: ['X-Job-Id', 'X-Model', 'X-Duration'],
});

const textJob = <J extends z.ZodType>(path: string, summary: string, body: J, out: z.ZodType) =>
  route({
    method: 'post',
    path,
    summary,
    tag: 'Text',
    auth: 'optional',
    headers: jobHeaders,
    body: { json: body, required: true },
    responses: { 200: { description: 'The result.', content: json(out), headers: ['X-Job-Id', 'X-Model'] }, 202: accepted },
    heavy: true,
  });

const transcriptText = <J extends z.ZodType>(path: string, summary: string, body: J) => ({
  ...textJob(path, summary, body, z.looseObject({ model: z.string() })),
  auth: 'required' as const,
  path_params: jobIdParams,
});

export const SPECS = {
  // Public
  health: route({ method: 'get', path: '/health', summary: 'Service health: Temporal, storage, live workers per queue, GPU', tag: 'Service', auth: 'none', responses: { 200: { description: 'Jobs can run end to end.', content: json(s.health) }, 503: { description: 'Degraded (with `error`).', content: json(s.health), headers: ['Retry-After'] } } }),
  models: route({ method: 'get', path: '/v1/models', summary: 'Models: the contract’s `models` list and OpenAI’s `data` list in one body', tag: 'Catalogue', auth: 'none', responses: { 200: { description: 'The catalogue with honest installed flags.', content: json(s.modelList) } } }),
  model: route({ method: 'get', path: '/v1/models/:id', summary: 'One installed model (OpenAI’s model object)', tag: 'Catalogue', auth: 'none', errors: 'openai', path_params: idParams, responses: { 200: { description: 'The model.', content: json(s.openAiModel) } } }),
  languages: route({ method: 'get', path: '/v1/languages', summary: 'Languages transcription understands, or translation pairs (`?task=translate`)', tag: 'Catalogue', auth: 'none', query: languagesQuery, responses: { 200: { description: 'Languages (or pairs with engines).', content: json(z.looseObject({})) } } }),

  // Media jobs
  transcribe: route({ method: 'post', path: '/v1/transcribe', summary: 'Transcribe audio or video (diarization, word timestamps)', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { form: transcribeForm, required: true }, responses: { 200: transcriptOut('The transcript in the requested format.'), 202: accepted }, heavy: true }),
  openAiTranscriptions: route({ method: 'post', path: '/v1/audio/transcriptions', summary: 'OpenAI-compatible transcription (official openai SDKs work unchanged)', tag: 'OpenAI-compatible', auth: 'optional', errors: 'openai', headers: jobHeaders, body: { form: transcriptionForm, required: true }, responses: { 200: openAiOut('json, verbose_json, text, srt or vtt.'), 202: accepted }, heavy: true }),
  openAiTranslations: route({ method: 'post', path: '/v1/audio/translations', summary: 'OpenAI-compatible translation of speech into English', tag: 'OpenAI-compatible', auth: 'optional', errors: 'openai', headers: jobHeaders, body: { form: translationForm, required: true }, responses: { 200: openAiOut('English text in the requested format.'), 202: accepted }, heavy: true }),
  enhanceAudio: route({ method: 'post', path: '/v1/enhance-audio', summary: 'Denoise and normalise audio', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { form: enhanceForm, required: true }, responses: { 200: { description: 'The enhanced audio.', content: { 'audio/wav': s.binary, 'application/octet-stream': s.binary }, headers: ['X-Job-Id', 'X-Model', 'X-Duration', 'X-Denoise', 'X-Loudness', 'X-Sample-Rate', 'Content-Disposition'] }, 202: accepted }, heavy: true }),
  tts: route({ method: 'post', path: '/v1/tts', summary: 'Text to speech (WAV)', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { json: ttsBody, form: ttsForm, required: true }, responses: { 200: { description: 'The speech.', content: { 'audio/wav': s.binary }, headers: ['X-Job-Id', 'X-Model', 'X-Duration', 'X-Generation-Time', 'X-Voice', 'X-Voice-Cloned', 'X-Sample-Rate', 'X-Streamed', 'Trailer'] }, 202: accepted }, heavy: true }),
  recipe: route({ method: 'post', path: '/v1/jobs', summary: 'A multi-step recipe job (preset or custom steps) on media, text or a transcript', tag: 'Jobs', auth: 'optional', headers: jobHeaders, body: { json: recipeBody, form: recipeForm, required: true }, responses: { 200: { description: 'The finished job (its view, as GET /v1/jobs/:id).', content: json(s.jobView) }, 202: accepted }, heavy: true }),

  // Text jobs
  summarize: textJob('/v1/summarize', 'Summarize text', summarizeBody, z.looseObject({ summary: z.string(), style: z.enum(SUMMARY_STYLES), model: z.string() })),
  analyze: textJob('/v1/analyze', 'Analyze text (sentiment, topics, entities, …)', analyzeBody, z.looseObject({ type: z.enum(ANALYSIS_TYPES), model: z.string() })),
  generate: textJob('/v1/generate', 'Generate from text (titles, chapters, flashcards, …)', generateBody, z.looseObject({ type: z.enum(GENERATION_TYPES), model: z.string() })),
  translate: textJob('/v1/translate', 'Translate text (one or a batch)', translateBody, z.looseObject({})),
  embed: textJob('/v1/embed', 'Text embeddings (one vector per text)', embedBody, z.looseObject({ embeddings: z.array(z.array(z.number())), dimensions: z.number().int(), model: z.string() })),
  transcriptAnalyze: transcriptText('/api/v1/transcripts/:id/analyze', 'Analyze a stored transcript', transcriptAnalyzeBody),
  transcriptGenerate: transcriptText('/api/v1/transcripts/:id/generate', 'Generate from a stored transcript', transcriptGenerateBody),
  chat: { ...transcriptText('/api/v1/transcripts/:id/chat', 'Ask a question about a stored transcript (answers cite segments)', chatBody), responses: { 200: { description: 'The answer with its sources.', content: json(z.looseObject({ answer: z.string(), sources: z.array(z.unknown()), session_id: z.string(), model: z.string() })) }, 202: accepted } },
  search: route({ method: 'get', path: '/api/v1/search', summary: 'Semantic search across the caller’s transcripts', tag: 'Transcripts', auth: 'required', query: searchQuery, responses: { 200: { description: 'Matching segments, best first.', content: json(z.looseObject({ query: z.string(), results: z.array(z.unknown()), searched: z.number() })) }, 202: accepted }, heavy: true }),

  // Jobs
  job: route({ method: 'get', path: '/v1/jobs/:id', summary: 'A job: status, per-step progress, result', tag: 'Jobs', auth: 'optional', path_params: jobIdParams, responses: { 200: { description: 'The job.', content: json(s.jobView) } } }),
  jobResult: route({ method: 'get', path: '/v1/jobs/:id/result', summary: 'A finished job’s output (audio, transcript in `format`, or a text step’s JSON)', tag: 'Jobs', auth: 'optional', path_params: jobIdParams, query: jobResultQuery, responses: { 200: { description: 'The output.', content: { ...json(z.looseObject({})), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text, 'audio/wav': s.binary } }, 409: { description: 'Not finished (or failed).', content: json(errorSchema) } } }),
  jobDelete: route({ method: 'delete', path: '/v1/jobs/:id', summary: 'Delete a finished job and everything it stored', tag: 'Jobs', auth: 'optional', path_params: jobIdParams, responses: { 204: { description: 'Deleted.' }, 409: { description: 'Still queued or running.', content: json(errorSchema) } } }),
  jobCancel: route({ method: 'post', path: '/v1/jobs/:id/cancel', summary: 'Cancel a queued or running job', tag: 'Jobs', auth: 'optional', path_params: jobIdParams, responses: { 202: { description: 'Cancelling.', content: json(z.object({ id: z.string(), status: z.literal('cancelling') })) }, 409: { description: 'Already finished.', content: json(errorSchema) } } }),

  // Account REST API
  account: route({ method: 'get', path: '/api/v1/account', summary: 'The caller’s account', tag: 'Account', auth: 'required', responses: { 200: { description: 'The account.', content: json(s.account) } } }),
  accountUpdate: route({ method: 'put', path: '/api/v1/account', summary: 'Update email and preferences', tag: 'Account', auth: 'required', body: { json: accountPatch }, responses: { 200: { description: 'The updated account.', content: json(s.account) } } }),
  keys: route({ method: 'get', path: '/api/v1/keys', summary: 'The account’s API keys (revoked ones stay listed)', tag: 'Account', auth: 'required', responses: { 200: { description: 'Keys (never the raw key).', content: json(z.object({ keys: z.array(s.apiKey) })) } } }),
  keyCreate: route({ method: 'post', path: '/api/v1/keys', summary: 'Create an API key (the raw key is shown once)', tag: 'Account', auth: 'required', body: { json: keyCreate }, responses: { 201: { description: 'The new key.', content: json(s.apiKey.extend({ key: z.string() })) }, 409: { description: 'Too many active keys.', content: json(errorSchema) } } }),
  keyRevoke: route({ method: 'delete', path: '/api/v1/keys/:id', summary: 'Revoke an API key', tag: 'Account', auth: 'required', path_params: idParams, responses: { 204: { description: 'Revoked.' } } }),
  usage: route({ method: 'get', path: '/api/v1/usage', summary: 'Credits used per day over 30 days', tag: 'Account', auth: 'required', responses: { 200: { description: 'Usage.', content: json(z.looseObject({ days: z.number(), usage: z.array(z.unknown()) })) } } }),

  // Transcripts
  transcripts: route({ method: 'get', path: '/api/v1/transcripts', summary: 'The caller’s transcription jobs, newest first (paginated)', tag: 'Transcripts', auth: 'required', query: transcriptsQuery, responses: { 200: { description: 'A page of jobs.', content: json(s.jobList) } } }),
  transcript: route({ method: 'get', path: '/api/v1/transcripts/:id', summary: 'A transcription job with its transcript', tag: 'Transcripts', auth: 'required', path_params: jobIdParams, responses: { 200: { description: 'The job and (when finished) its transcript.', content: json(z.looseObject({ id: z.string(), status: z.string(), transcript: s.transcript.nullable() })) } } }),
  transcriptDelete: route({ method: 'delete', path: '/api/v1/transcripts/:id', summary: 'Delete a transcript, its upload and its job', tag: 'Transcripts', auth: 'required', path_params: jobIdParams, responses: { 204: { description: 'Deleted.' } } }),
  transcriptExport: route({ method: 'get', path: '/api/v1/transcripts/:id/export/:format', summary: 'Export a transcript (txt, srt, vtt, json, csv, docx, pdf)', tag: 'Transcripts', auth: 'required', path_params: exportParams, responses: { 200: { description: 'The document.', content: { 'application/json': s.transcript, 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text, 'text/csv': s.text, [DOCUMENT_CONTENT_TYPES.docx]: s.binary, [DOCUMENT_CONTENT_TYPES.pdf]: s.binary }, headers: ['Content-Disposition'] } } }),

  // This document and the pages
  openapi: route({ method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'Service', auth: 'none', responses: { 200: { description: 'OpenAPI 3.1.', content: json(z.looseObject({ openapi: z.string() })) } } }),
  docs: route({ method: 'get', path: '/docs', summary: 'The API reference page (Swagger UI, served locally)', tag: 'Service', auth: 'none', responses: { 200: { description: 'HTML.', content: { 'text/html': s.text } } } }),
  docsAsset: route({ method: 'get', path: '/docs/:asset', summary: 'The reference page’s scripts and styles', tag: 'Service', auth: 'none', path_params: assetParams, responses: { 200: { description: 'A static asset.', content: { 'application/javascript': s.text, 'text/css': s.text } } } }),
  demo: route({ method: 'get', path: '/demo', summary: 'Live transcription demo page (microphone → WS /v1/stream, served locally)', tag: 'Service', auth: 'none', responses: { 200: { description: 'HTML.', content: { 'text/html': s.text } } } }),
  demoAsset: route({ method: 'get', path: '/demo/:asset', summary: 'The demo page’s script and styles', tag: 'Service', auth: 'none', path_params: assetParams, responses: { 200: { description: 'A static asset.', content: { 'text/javascript': s.text, 'text/css': s.text } } } }),
};

export const ROUTE_SPECS: RouteSpec[] = Object.values(SPECS) as RouteSpec[];

export { openAiErrorSchema };
