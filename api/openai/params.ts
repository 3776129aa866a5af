/**
 * OpenAI audio form fields → our transcription options. Validated with the schemas the OpenAPI
 * document is generated from (api/openai/schemas.ts); failures are 400s naming the parameter.
 */
import type { z } from 'zod';
import { isKnownLanguage } from '../../lib/catalog/languages';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import type { TranscribeOptions } from '../../workflows/model';
import { badRequest, clip } from '../errors';
import { formFields } from '../openapi/route';
import { validatedWith } from '../openapi/validate';
import { openAiModel } from './models';
import { transcriptionForm, translationForm, type OpenAiResponseFormat } from './schemas';

export type OpenAiTask = 'transcribe' | 'translate';

export interface OpenAiAudioParams {
  options: TranscribeOptions;
  format: OpenAiResponseFormat;
  words: boolean;
  segments: boolean;
}

// The forms without their file (the upload path takes it): the published forms themselves, see api/openapi/route.ts.
const transcriptionFields = formFields(transcriptionForm);
const translationFields = formFields(translationForm);

/** `name[]` arrives one value per line (api/multipart/form-reader.ts); plain `name` is accepted too, comma-separated. */
const list = (raw: string | undefined) => (raw === undefined ? undefined : raw.split(/[\n,]/).map((v) => v.trim()).filter(Boolean));

/** The first problem, as one sentence with the parameter's name (OpenAI's `param`). */
function invalid(error: z.ZodError): never {
  const issue = error.issues[0];
  const param = String(issue.path[0] ?? 'body');
  throw badRequest(`Invalid \`${param}\`: ${issue.message}.`, { code: 'invalid_parameter', param });
}

export function parseOpenAiAudioParams(fields: Record<string, string>, models: ModelRegistry, task: OpenAiTask): OpenAiAudioParams {
  const input: Record<string, unknown> = { ...fields };
  // Empty strings are "not given", as the contract routes treat them.
  for (const [k, v] of Object.entries(input)) if (v === '') delete input[k];
  if (task === 'transcribe') {
    const granularities = list(fields['timestamp_granularities[]'] ?? fields.timestamp_granularities);
    delete input.timestamp_granularities;
    if (granularities) input['timestamp_granularities[]'] = granularities;
  }
  validatedWith.getStore()?.add(task === 'transcribe' ? transcriptionForm : translationForm);
  const parsed = task === 'transcribe' ? transcriptionFields.safeParse(input) : translationFields.safeParse(input);
  if (!parsed.success) invalid(parsed.error);
  const p = parsed.data as z.infer<typeof transcriptionForm>;

  const granularities = p['timestamp_granularities[]'];
  if (granularities?.length && p.response_format !== 'verbose_json') {
    throw badRequest('`timestamp_granularities[]` needs response_format=verbose_json.', { code: 'invalid_parameter', param: 'timestamp_granularities[]' });
  }
  const language = (p.language ?? 'auto').toLowerCase();
  if (language !== 'auto' && !isKnownLanguage(language)) {
    throw badRequest(`Unknown language '${clip(p.language ?? '')}'. Use an ISO 639-1 code from GET /v1/languages.`, { code: 'invalid_parameter', param: 'language' });
  }
  let model: string;
  try {
    model = models.resolveTranscriptionModel(openAiModel(models, p.model, task));
  } catch (err) {
    if (err instanceof ModelNotInstalledError) {
      throw badRequest(err.message.replace(err.requested, clip(err.requested)), { code: 'model_not_found', param: 'model', installed: err.installed });
    }
    throw err;
  }
  const words = granularities?.includes('word') ?? false;
  return {
    // Diarization is off: OpenAI's formats have no speakers, and the price is the transcription's alone.
    options: { model, language, diarize: false, speakers: 0, wordTimestamps: words, ...(task === 'translate' ? { task } : {}) },
    format: p.response_format,
    words,
    segments: !granularities?.length || granularities.includes('segment'),
  };
}
