/** POST /v1/transcribe form fields → validated options (contract names and defaults). */
import { isKnownLanguage } from '../../lib/catalog/languages';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import { RESPONSE_FORMATS, type ResponseFormat } from '../../lib/transcript/formats';
import type { TranscribeOptions } from '../../workflows/model';
import { badRequest, clip } from '../errors';
import { parseEnhanceParams } from './enhance';

export interface TranscribeParams {
  options: TranscribeOptions;
  format: ResponseFormat;
}

function bool(name: string, raw: string | undefined, dflt: boolean): boolean {
  if (raw === undefined || raw === '') return dflt;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw badRequest(`\`${name}\` must be a boolean (true or false).`, { code: 'invalid_parameter', param: name });
}

export function parseTranscribeParams(fields: Record<string, string>, models: ModelRegistry): TranscribeParams {
  const language = (fields.language || 'auto').toLowerCase();
  if (language !== 'auto' && !isKnownLanguage(language)) {
    throw badRequest(`Unknown language '${clip(fields.language)}'. Use an ISO 639-1 code from GET /v1/languages, or 'auto'.`, { code: 'invalid_parameter', param: 'language' });
  }
  const speakersRaw = fields.speakers ?? '0';
  const speakers = Number(speakersRaw);
  if (!/^\d+$/.test(speakersRaw) || speakers > 32) {
    throw badRequest('`speakers` must be a whole number from 0 (auto) to 32.', { code: 'invalid_parameter', param: 'speakers' });
  }
  const format = (fields.response_format || 'json') as ResponseFormat;
  if (!RESPONSE_FORMATS.includes(format)) {
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
