/**
 * Every HTTP route's spec. A route added to a Koa router without an entry here fails
 * test/api/openapi.test.ts. Enumerations come from the modules that enforce them; the OpenAI
 * routes' forms and the account API's bodies are the very zod schemas those routes validate with.
 */
import { z } from 'zod';
import { ANALYSIS_TYPES, GENERATION_TYPES, SUMMARY_STYLES } from '../../../workflows/model';
import { transcribeForm } from '../../params/transcribe';
import { CONTENT_TYPES as TRANSCRIPT_TYPES } from '../../../lib/transcript/formats';
import { accountPatch, keyCreate } from '../../routes/account';
import { openAiErrorSchema, transcriptionForm, transcriptionJson, transcriptionVerbose, translationForm } from '../../openai/schemas';
import { errorSchema, type RouteSpec } from '../registry';
import * as s from '../schemas';
import { JOB_STATUSES } from '../vocab';

const json = (schema: z.ZodType) => ({ 'application/json': schema });
const jobId = z.object({ id: z.string().describe('A job id (as returned when the job was submitted).') });
const jobHeaders = z.object({
  'Idempotency-Key': z.string().max(255).optional().describe('Retrying with the same key returns the first request’s job instead of starting another.'),
  Prefer: z.string().optional().describe('`respond-async`: answer 202 with the job at once instead of waiting for its result.'),
});
const accepted = { description: 'Accepted: the job runs; poll `status_url` (also in Location).', content: json(s.jobAccepted), headers: ['Location'] };
const textBody = (extra: z.ZodRawShape) => z.object({ text: z.string().min(1).describe('The text to work on (bounded by VOXFLOW_TEXT_MAX_CHARS).'), ...extra });
const transcriptOut = (description: string) => ({
  description,
  content: { ...json(s.transcript), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text },
  headers: ['X-Job-Id', 'X-Model'],
});


const textJob = (path: string, summary: string, body: z.ZodType, out: z.ZodType): RouteSpec => ({
  method: 'post',
  path,
  summary,
  tag: 'Text',
  auth: 'optional',
  headers: jobHeaders,
  body: { contentType: 'application/json', schema: body, required: true },
  responses: { 200: { description: 'The result.', content: json(out), headers: ['X-Job-Id', 'X-Model'] }, 202: accepted },
  heavy: true,
});

const transcriptText = (path: string, summary: string, body: z.ZodType): RouteSpec => ({
  ...textJob(path, summary, body, z.looseObject({ model: z.string() })),
  auth: 'required',
  path_params: jobId,
});

export const ROUTE_SPECS: RouteSpec[] = [
  // Public
  { method: 'get', path: '/health', summary: 'Service health: Temporal, storage, live workers per queue, GPU', tag: 'Service', auth: 'none', responses: { 200: { description: 'Jobs can run end to end.', content: json(s.health) }, 503: { description: 'Degraded (with `error`).', content: json(s.health), headers: ['Retry-After'] } } },
  { method: 'get', path: '/v1/models', summary: 'Models: the contract’s `models` list and OpenAI’s `data` list in one body', tag: 'Catalogue', auth: 'none', responses: { 200: { description: 'The catalogue with honest installed flags.', content: json(s.modelList) } } },
  { method: 'get', path: '/v1/models/:id', summary: 'One installed model (OpenAI’s model object)', tag: 'Catalogue', auth: 'none', errors: 'openai', path_params: z.object({ id: z.string() }), responses: { 200: { description: 'The model.', content: json(s.openAiModel) } } },
  { method: 'get', path: '/v1/languages', summary: 'Languages transcription understands, or translation pairs (`?task=translate`)', tag: 'Catalogue', auth: 'none', query: z.object({ task: z.enum(['transcribe', 'translate']).optional() }), responses: { 200: { description: 'Languages (or pairs with engines).', content: json(z.looseObject({})) } } },

  // Media jobs
  { method: 'post', path: '/v1/transcribe', summary: 'Transcribe audio or video (diarization, word timestamps)', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { contentType: 'multipart/form-data', schema: transcribeForm, required: true }, responses: { 200: transcriptOut('The transcript in the requested format.'), 202: accepted }, heavy: true },
  { method: 'post', path: '/v1/audio/transcriptions', summary: 'OpenAI-compatible transcription (official openai SDKs work unchanged)', tag: 'OpenAI-compatible', auth: 'optional', errors: 'openai', headers: jobHeaders, body: { contentType: 'multipart/form-data', schema: transcriptionForm, required: true }, responses: { 200: { description: 'json, verbose_json, text, srt or vtt.', content: { 'application/json': z.union([transcriptionJson, transcriptionVerbose]), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text }, headers: ['X-Job-Id', 'X-Model', 'X-Duration'] }, 202: accepted }, heavy: true },
  { method: 'post', path: '/v1/audio/translations', summary: 'OpenAI-compatible translation of speech into English', tag: 'OpenAI-compatible', auth: 'optional', errors: 'openai', headers: jobHeaders, body: { contentType: 'multipart/form-data', schema: translationForm, required: true }, responses: { 200: { description: 'English text in the requested format.', content: { 'application/json': z.union([transcriptionJson, transcriptionVerbose]), 'text/plain': s.text, 'application/x-subrip': s.text, 'text/vtt': s.text }, headers: ['X-Job-Id', 'X-Model', 'X-Duration'] }, 202: accepted }, heavy: true },
  { method: 'post', path: '/v1/enhance-audio', summary: 'Denoise and normalise audio', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { contentType: 'multipart/form-data', schema: z.looseObject({ file: z.file(), model: z.string().optional(), denoise: z.string().optional(), sample_rate: z.string().optional() }), required: true }, responses: { 200: { description: 'The enhanced audio.', content: { 'audio/wav': s.binary, 'application/octet-stream': s.binary }, headers: ['X-Job-Id', 'X-Duration', 'Content-Disposition'] }, 202: accepted }, heavy: true },
  { method: 'post', path: '/v1/tts', summary: 'Text to speech (WAV)', tag: 'Speech', auth: 'optional', headers: jobHeaders, body: { contentType: 'application/json', schema: z.looseObject({ text: z.string().min(1), voice: z.string().optional(), sample_rate: z.number().int().optional() }), required: true }, responses: { 200: { description: 'The speech.', content: { 'audio/wav': s.binary }, headers: ['X-Job-Id', 'X-Model', 'X-Duration', 'X-Generation-Time', 'X-Voice', 'X-Voice-Cloned'] }, 202: accepted }, heavy: true },
  { method: 'post', path: '/v1/jobs', summary: 'A multi-step recipe job (preset or custom steps) on media, text or a transcript', tag: 'Jobs', auth: 'optional', headers: jobHeaders, body: { contentType: 'application/json', schema: z.looseObject({ preset: z.string().optional(), steps: z.array(z.looseObject({ step: z.string() })).optional(), text: z.string().optional(), transcript_id: z.string().optional() }), required: true }, responses: { 202: accepted }, heavy: true },

  // Text jobs
  textJob('/v1/summarize', 'Summarize text', textBody({ style: z.enum(SUMMARY_STYLES).optional().describe('Default brief.') }), z.looseObject({ summary: z.string(), style: z.enum(SUMMARY_STYLES), model: z.string() })),
  textJob('/v1/analyze', 'Analyze text (sentiment, topics, entities, …)', textBody({ type: z.enum(ANALYSIS_TYPES) }), z.looseObject({ type: z.enum(ANALYSIS_TYPES), model: z.string() })),
  textJob('/v1/generate', 'Generate from text (titles, chapters, flashcards, …)', textBody({ type: z.enum(GENERATION_TYPES) }), z.looseObject({ type: z.enum(GENERATION_TYPES), model: z.string() })),
  textJob('/v1/translate', 'Translate text (one or a batch)', z.object({ text: z.string().optional(), texts: z.array(z.string()).optional(), source: z.string().optional().describe('Default en.'), target: z.string(), model: z.string().optional() }), z.looseObject({})),
  textJob('/v1/embed', 'Text embeddings (one vector per text)', z.object({ texts: z.array(z.string().min(1)).min(1).optional(), text: z.string().min(1).optional().describe('One text instead of `texts`.') }), z.looseObject({ embeddings: z.array(z.array(z.number())), dimensions: z.number().int(), model: z.string() })),
  transcriptText('/api/v1/transcripts/:id/analyze', 'Analyze a stored transcript', z.object({ type: z.enum(ANALYSIS_TYPES) })),
  transcriptText('/api/v1/transcripts/:id/generate', 'Generate from a stored transcript', z.object({ type: z.enum(GENERATION_TYPES) })),
  { ...transcriptText('/api/v1/transcripts/:id/chat', 'Ask a question about a stored transcript (answers cite segments)', z.object({ question: z.string().min(1), session_id: z.string().optional() })), responses: { 200: { description: 'The answer with its sources.', content: json(z.looseObject({ answer: z.string(), sources: z.array(z.unknown()), session_id: z.string(), model: z.string() })) } } },
  { method: 'get', path: '/api/v1/search', summary: 'Semantic search across the caller’s transcripts', tag: 'Transcripts', auth: 'required', query: z.object({ q: z.string().min(1), limit: z.coerce.number().int().min(1).optional() }), responses: { 200: { description: 'Matching segments, best first.', content: json(z.looseObject({ query: z.string(), results: z.array(z.unknown()), searched: z.number() })) } }, heavy: true },

  // Jobs
  { method: 'get', path: '/v1/jobs/:id', summary: 'A job: status, per-step progress, result', tag: 'Jobs', auth: 'optional', path_params: jobId, responses: { 200: { description: 'The job.', content: json(s.jobView) } } },
  { method: 'get', path: '/v1/jobs/:id/result', summary: 'A finished job’s output (audio, transcript in `format`, or a text step’s JSON)', tag: 'Jobs', auth: 'optional', path_params: jobId, query: z.object({ step: z.string().optional(), format: z.enum(Object.keys(TRANSCRIPT_TYPES) as [string, ...string[]]).optional() }), responses: { 200: { description: 'The output.', content: { ...json(z.looseObject({})), 'text/plain': s.text, 'audio/wav': s.binary } }, 409: { description: 'Not finished (or failed).', content: json(errorSchema) } } },
  { method: 'delete', path: '/v1/jobs/:id', summary: 'Delete a finished job and everything it stored', tag: 'Jobs', auth: 'optional', path_params: jobId, responses: { 204: { description: 'Deleted.' }, 409: { description: 'Still queued or running.', content: json(errorSchema) } } },
  { method: 'post', path: '/v1/jobs/:id/cancel', summary: 'Cancel a queued or running job', tag: 'Jobs', auth: 'optional', path_params: jobId, responses: { 202: { description: 'Cancelling.', content: json(z.object({ id: z.string(), status: z.literal('cancelling') })) }, 409: { description: 'Already finished.', content: json(errorSchema) } } },

  // Account REST API
  { method: 'get', path: '/api/v1/account', summary: 'The caller’s account', tag: 'Account', auth: 'required', responses: { 200: { description: 'The account.', content: json(s.account) } } },
  { method: 'put', path: '/api/v1/account', summary: 'Update email and preferences', tag: 'Account', auth: 'required', body: { contentType: 'application/json', schema: accountPatch }, responses: { 200: { description: 'The updated account.', content: json(s.account) } } },
  { method: 'get', path: '/api/v1/keys', summary: 'The account’s API keys (revoked ones stay listed)', tag: 'Account', auth: 'required', responses: { 200: { description: 'Keys (never the raw key).', content: json(z.object({ keys: z.array(s.apiKey) })) } } },
  { method: 'post', path: '/api/v1/keys', summary: 'Create an API key (the raw key is shown once)', tag: 'Account', auth: 'required', body: { contentType: 'application/json', schema: keyCreate }, responses: { 201: { description: 'The new key.', content: json(s.apiKey.extend({ key: z.string() })) }, 409: { description: 'Too many active keys.', content: json(errorSchema) } } },
  { method: 'delete', path: '/api/v1/keys/:id', summary: 'Revoke an API key', tag: 'Account', auth: 'required', path_params: z.object({ id: z.string() }), responses: { 204: { description: 'Revoked.' } } },
  { method: 'get', path: '/api/v1/usage', summary: 'Credits used per day over 30 days', tag: 'Account', auth: 'required', responses: { 200: { description: 'Usage.', content: json(z.looseObject({ days: z.number(), usage: z.array(z.unknown()) })) } } },

  // Transcripts
  {
    method: 'get', path: '/api/v1/transcripts', summary: 'The caller’s transcription jobs, newest first (paginated)', tag: 'Transcripts', auth: 'required',
    query: z.object({ status: z.enum(JOB_STATUSES).optional(), language: z.string().regex(/^[a-z]{2,3}$/).optional(), since: z.string().optional().describe('ISO 8601 date.'), page_size: z.coerce.number().int().min(1).max(100).optional(), page_token: z.string().optional() }),
    responses: { 200: { description: 'A page of jobs.', content: json(s.jobList) } },
  },
  { method: 'get', path: '/api/v1/transcripts/:id', summary: 'A transcription job with its transcript', tag: 'Transcripts', auth: 'required', path_params: jobId, responses: { 200: { description: 'The job and (when finished) its transcript.', content: json(z.looseObject({ id: z.string(), status: z.string(), transcript: s.transcript.nullable() })) } } },
  { method: 'delete', path: '/api/v1/transcripts/:id', summary: 'Delete a transcript, its upload and its job', tag: 'Transcripts', auth: 'required', path_params: jobId, responses: { 204: { description: 'Deleted.' } } },
  { method: 'get', path: '/api/v1/transcripts/:id/export/:format', summary: 'Export a transcript (txt, srt, vtt, json, csv, docx, pdf)', tag: 'Transcripts', auth: 'required', path_params: jobId.extend({ format: z.enum(['txt', 'srt', 'vtt', 'json', 'csv', 'docx', 'pdf']) }), responses: { 200: { description: 'The document.', content: { 'text/plain': s.text, 'application/json': s.transcript, 'application/octet-stream': s.binary }, headers: ['Content-Disposition'] } } },

  // This document
  { method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'Service', auth: 'none', responses: { 200: { description: 'OpenAPI 3.1.', content: json(z.looseObject({ openapi: z.string() })) } } },
  { method: 'get', path: '/docs', summary: 'The API reference page (Swagger UI, served locally)', tag: 'Service', auth: 'none', responses: { 200: { description: 'HTML.', content: { 'text/html': s.text } } } },
  { method: 'get', path: '/docs/:asset', summary: 'The reference page’s scripts and styles', tag: 'Service', auth: 'none', path_params: z.object({ asset: z.string() }), responses: { 200: { description: 'A static asset.', content: { 'application/javascript': s.text, 'text/css': s.text } } } },
  { method: 'get', path: '/demo', summary: 'Live transcription demo page (microphone → WS /v1/stream, served locally)', tag: 'Service', auth: 'none', responses: { 200: { description: 'HTML.', content: { 'text/html': s.text } } } },
  { method: 'get', path: '/demo/:asset', summary: 'The demo page’s script and styles', tag: 'Service', auth: 'none', path_params: z.object({ asset: z.string() }), responses: { 200: { description: 'A static asset.', content: { 'text/javascript': s.text, 'text/css': s.text } } } },
];

export { openAiErrorSchema };
