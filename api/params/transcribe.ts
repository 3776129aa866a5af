/** POST /v1/transcribe form fields → validated options (contract names and defaults). */
import { isKnownLanguage } from '../../lib/catalog/languages';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import { RESPONSE_FORMATS, type ResponseFormat } from '../../lib/transcript/formats';
import type { TranscribeOptions } from '../../workflows/model';
import { z } from 'zod';
import { badRequest, clip } from '../errors';
import { parseEnhanceParams } from './enhance';

export interface TranscribeParams {
  options: TranscribeOptions;
  format: ResponseFormat;
}

const BOOLEAN_WORDS = ['true', '1', 'yes', 'on', 'false', '0', 'no', 'off'] as const;

/**
 * The form's fields as the OpenAPI document publishes them (api/openapi/specs/): the checks below
 * test values against these very schemas, so the document and the validator cannot disagree.
 */
export const transcribeForm = z.object({
  file: z.file().describe('Audio or video (format decided by content).'),
  model: z.string().optional().describe('An installed model id (GET /v1/models); default: the best installed.'),
  language: z.string().optional().describe("ISO 639-1 code (GET /v1/languages) or `auto` (default)."),
  diarize: z.string().regex(new RegExp(`^(?:${BOOLEAN_WORDS.join('|')})$`)).optional().describe('Label speakers (default true).'),
  speakers: z.string().regex(/^0*(?:[0-9]|[12][0-9]|3[0-2])$/).optional().describe('Expected number of speakers, 0 (auto, the default) to 32.'),
  response_format: z.enum(RESPONSE_FORMATS as unknown as [ResponseFormat, ...ResponseFormat[]]).optional().describe('Default json.'),
  async: z.string().optional().describe('`true`: like `Prefer: respond-async`.'),
});
const field = transcribeForm.shape;

function bool(name: string, raw: string | undefined, dflt: boolean): boolean {
  if (raw === undefined || raw === '') return dflt;
  const v = raw.toLowerCase();
  if (field.diarize.safeParse(v).success) return BOOLEAN_WORDS.indexOf(v as (typeof BOOLEAN_WORDS)[number]) < 4;
  throw badRequest(`\`${name}\` must be a boolean (true or false).`, { code: 'invalid_parameter', param: name });
}

export function parseTranscribeParams(fields: Record<string, string>, models: ModelRegistry): TranscribeParams {
  const language = (fields.language || 'auto').toLowerCase();
  if (language !== 'auto' && !isKnownLanguage(language)) {
    throw badRequest(`Unknown language '${clip(fields.language)}'. Use an ISO 639-1 code from GET /v1/languages, or 'auto'.`, { code: 'invalid_parameter', param: 'language' });
  }
  const speakersRaw = fields.speakers ?? '0';
  const speakers = Number(speakersRaw);
  if (!field.speakers.safeParse(speakersRaw).success) {
    throw badRequest('`speakers` must be a whole number from 0 (auto) to 32.', { code: 'invalid_parameter', param: 'speakers' });
  }
  const format = (fields.response_format || 'json') as ResponseFormat;
  if (!field.response_format.safeParse(format).success) {
    throw badRequest(`\`response_format\` must be one of ${RESPONSE_FORMATS.join(', ')}.`, { code: 'invalid_parameter', param: 'response_format' });
  }
  let model: string;
  try {
    model = models.resolveTranscriptionModel(fields.model || undefined);
  } catch (err) {
    if (err instanceof ModelNotInstalledError) {
      // The message quotes the requested name: never a long value whole.
      const message = err.message.replace(err.requested, clip(err.requested));
      throw badRequest(message, { code: 'model_not_installed', param: 'model', installed: err.installed });
    }
    throw err;
  }
  // `enhance=true`: denoise first (`enhance_model`, `denoise` as on /v1/enhance-audio); 16 kHz is what the ASR reads.
  const enhance = bool('enhance', fields.enhance, false) ? { ...parseEnhanceParams(fields, models, undefined, 'enhance_model'), sampleRate: 16_000 } : undefined;
  return {
    options: { model, language, diarize: bool('diarize', fields.diarize, true), speakers, wordTimestamps: true, ...(enhance ? { enhance } : {}) },
    format,
  };
}
