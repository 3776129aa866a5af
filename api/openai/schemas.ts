/**
 * OpenAI's audio API, as zod schemas: the routes validate the form fields with these, and the
 * OpenAPI document (api/openapi/) is generated from the very same objects.
 */
import { z } from 'zod';
import { OPENAI_WHISPER_ALIAS } from './models';

export const OPENAI_RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
export type OpenAiResponseFormat = (typeof OPENAI_RESPONSE_FORMATS)[number];
export const TIMESTAMP_GRANULARITIES = ['word', 'segment'] as const;

const file = z.file().describe('The audio or video file (any format ffmpeg reads; decided by content, not by name).');
const model = z
  .string()
  .min(1)
  .max(100)
  .describe(`\`${OPENAI_WHISPER_ALIAS}\` runs the best installed model; an installed model id (GET /v1/models) runs that one. The model that ran is in X-Model (and \`model\` in JSON formats).`);
const prompt = z.string().max(10_000).optional().describe('Accepted for compatibility and ignored: decoding is not conditioned on a prompt.');
const responseFormat = z.enum(OPENAI_RESPONSE_FORMATS).default('json');
const temperature = z.coerce
  .number()
  .min(0)
  .max(1)
  .default(0)
  .describe('Accepted (0 to 1) and not applied: decoding always starts greedy (temperature 0) and re-decodes hotter only where the output looks degenerate, as openai-whisper does.');
const stream = z
  .enum(['true', 'false'])
  .optional()
  .refine((v) => v !== 'true', 'streaming is not supported for Whisper models; use WS /v1/stream')
  .describe('Only `false`: Whisper transcriptions are not streamed.');

export const transcriptionForm = z.object({
  file,
  model,
  language: z.string().max(16).optional().describe('ISO 639-1 code of the spoken language; detected when absent.'),
  prompt,
  response_format: responseFormat,
  temperature,
  'timestamp_granularities[]': z
    .array(z.enum(TIMESTAMP_GRANULARITIES))
    .optional()
    .describe('With response_format=verbose_json: `word` adds `words`, `segment` (the default) keeps `segments`.'),
  stream,
});

export const translationForm = z.object({ file, model, prompt, response_format: responseFormat, temperature });

export const openAiErrorSchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});

const usage = z.object({ type: z.literal('duration'), seconds: z.number().int().describe('Billed seconds (whole minutes are charged: ⌈seconds / 60⌉ credits).') });

export const transcriptionJson = z.object({
  text: z.string(),
  model: z.string().describe('The installed model that ran.'),
  usage,
});

export const verboseSegment = z.object({
  id: z.number().int(),
  seek: z.number().int().describe('Start of the segment in 10 ms frames (windows follow the speech, not fixed 30 s seeks).'),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  tokens: z.array(z.number().int()).describe('Empty: token ids are not kept with the transcript.'),
  temperature: z.number().describe('0: the first decoding pass (a re-decoded region is not told apart).'),
  avg_logprob: z.number().describe('Mean log-probability of the text tokens.'),
  compression_ratio: z.number().describe('UTF-8 bytes over zlib-compressed bytes of the text, as openai-whisper computes it.'),
  no_speech_prob: z.number().describe('0: windows judged non-speech produce no segment at all.'),
});

export const verboseWord = z.object({ word: z.string(), start: z.number(), end: z.number() });

export const transcriptionVerbose = z.object({
  task: z.enum(['transcribe', 'translate']),
  language: z.string().describe('Full language name in lower case (`english`); a translation is always `english`.'),
  duration: z.number(),
  text: z.string(),
  model: z.string(),
  segments: z.array(verboseSegment).optional(),
  words: z.array(verboseWord).optional(),
  usage,
});
