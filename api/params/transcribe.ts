/**
 * POST /v1/transcribe form fields → validated options (contract names and defaults). `transcribeForm`
 * is the schema /openapi.json publishes and the fields are parsed with; which models are installed
 * is this server's to say, after.
 */
import { z } from 'zod';
import { isKnownLanguage } from '../../lib/catalog/languages';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import { RESPONSE_FORMATS, type ResponseFormat } from '../../lib/transcript/formats';
import type { TranscribeOptions } from '../../workflows/model';
import { badRequest, clip } from '../errors';
import { parseForm } from '../openapi/route';
import { enhanceFields, parseEnhanceParams } from './enhance';
import { webhookFields } from './webhook';

export interface TranscribeParams {
  options: TranscribeOptions;
  format: ResponseFormat;
}

const BOOLEAN_WORDS = ['true', '1', 'yes', 'on', 'false', '0', 'no', 'off'] as const;

/** A form boolean (true/1/yes/on, false/0/no/off, any case). */
const booleanField = (name: string) =>
  z
    .string()
    .toLowerCase()
    .regex(new RegExp(`^(?:${BOOLEAN_WORDS.join('|')})$`), `\`${name}\` must be a boolean (true or false).`)
    .transform((v) => BOOLEAN_WORDS.indexOf(v as (typeof BOOLEAN_WORDS)[number]) < 4)
    .optional();

export const transcribeForm = z.object({
  file: z.file().describe('Audio or video (format decided by content).'),
  model: z.string().optional().describe('An installed model id (GET /v1/models); default: the best installed.'),
  language: z
    .string()
    .toLowerCase()
    .refine((v) => v === 'auto' || isKnownLanguage(v), {
      error: (iss) => `Unknown language '${clip(String(iss.input))}'. Use an ISO 639-1 code from GET /v1/languages, or 'auto'.`,
    })
    .optional()
    .describe('ISO 639-1 code (GET /v1/languages) or `auto` (default).'),
  diarize: booleanField('diarize').describe('Label speakers (default true).'),
  speakers: z
    .string()
    .regex(/^0*(?:[0-9]|[12][0-9]|3[0-2])$/, '`speakers` must be a whole number from 0 (auto) to 32.')
    .transform(Number)
    .optional()
    .describe('Expected number of speakers, 0 (auto, the default) to 32.'),
  response_format: z
    .enum(RESPONSE_FORMATS as unknown as [ResponseFormat, ...ResponseFormat[]], { error: `\`response_format\` must be one of ${RESPONSE_FORMATS.join(', ')}.` })
    .optional()
    .describe('Default json.'),
  async: z.string().optional().describe('`true`: like `Prefer: respond-async`.'),
  enhance: booleanField('enhance').describe('Denoise first (as POST /v1/enhance-audio; default false).'),
  enhance_model: z.string().optional().describe('With `enhance`: the denoiser (as `model` on POST /v1/enhance-audio).'),
  ...enhanceFields,
  ...webhookFields,
});

export function parseTranscribeParams(fields: Record<string, string>, models: ModelRegistry): TranscribeParams {
  const p = parseForm(transcribeForm, fields);
  let model: string;
  try {
    model = models.resolveTranscriptionModel(p.model || undefined);
  } catch (err) {
    if (err instanceof ModelNotInstalledError) {
      // The message quotes the requested name: never a long value whole.
      const message = err.message.replace(err.requested, clip(err.requested));
      throw badRequest(message, { code: 'model_not_installed', param: 'model', installed: err.installed });
    }
    throw err;
  }
  // `enhance=true`: denoise first (`enhance_model`, `denoise` as on /v1/enhance-audio); 16 kHz is what the ASR reads.
  const enhance = p.enhance ? { ...parseEnhanceParams(fields, models, undefined, 'enhance_model'), sampleRate: 16_000 } : undefined;
  return {
    options: { model, language: p.language ?? 'auto', diarize: p.diarize ?? true, speakers: p.speakers ?? 0, wordTimestamps: true, ...(enhance ? { enhance } : {}) },
    format: p.response_format ?? 'json',
  };
}
