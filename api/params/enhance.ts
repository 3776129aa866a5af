/**
 * POST /v1/enhance-audio form fields (and `enhance=true` on /v1/transcribe) → validated options:
 * `model` (an installed denoiser, `ffmpeg` or `none`), `denoise` strength 0..1, `loudness` target
 * in LUFS, `sample_rate` of the output. Every 400 names the field and the values it accepts.
 */
import { DEFAULT_LOUDNESS_LUFS, DEFAULT_OUTPUT_SAMPLE_RATE, LOUDNESS_RANGE, OUTPUT_SAMPLE_RATES } from '../../lib/audio/enhance';
import { FILTER_CHOICES, isFilterChoice } from '../../lib/denoise/catalog';
import type { ModelRegistry } from '../../lib/models/registry';
import type { Config } from '../../lib/config';
import type { EnhanceOptions } from '../../workflows/model';
import { badRequest, clip } from '../errors';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The model a request without `model` gets: the configured one, else the best installed denoiser, else ffmpeg. */
export function defaultEnhanceModel(models: ModelRegistry, config?: Pick<Config, 'enhance'>): string {
  return config?.enhance.model ?? models.installedDenoisers()[0] ?? 'ffmpeg';
}

/**
 * `modelField`: the form field naming the model (`model` on /v1/enhance-audio, `enhance_model` on
 * /v1/transcribe, whose `model` is the ASR model).
 */
export function parseEnhanceParams(fields: Record<string, string>, models: ModelRegistry, config?: Pick<Config, 'enhance'>, modelField = 'model'): EnhanceOptions {
  const valid = [...models.installedDenoisers(), ...FILTER_CHOICES];
  const requested = fields[modelField];
  const model = requested ? requested.toLowerCase() : defaultEnhanceModel(models, config);
  if (!valid.includes(model)) {
    throw badRequest(`Unknown or uninstalled enhancement model '${clip(requested ?? model)}' in \`${modelField}\`. Valid values: ${valid.join(', ')}.`, { code: 'invalid_parameter', param: modelField, valid });
  }
  const strength = numberField(fields, 'denoise', 1, 0, 1, 'a number from 0 (original audio) to 1 (fully denoised)');
  if (isFilterChoice(model) && fields.denoise !== undefined && fields.denoise !== '' && strength !== 1) {
    throw badRequest(`\`denoise\` strength applies to the neural models (${models.installedDenoisers().join(', ') || 'none installed'}), not to '${model}'.`, { code: 'invalid_parameter', param: 'denoise' });
  }
  const loudnessLufs = numberField(fields, 'loudness', config?.enhance.loudnessLufs ?? DEFAULT_LOUDNESS_LUFS, LOUDNESS_RANGE.min, LOUDNESS_RANGE.max, `a loudness target in LUFS from ${LOUDNESS_RANGE.min} to ${LOUDNESS_RANGE.max}`);
  const rateRaw = fields.sample_rate;
  const sampleRate = rateRaw === undefined || rateRaw === '' ? DEFAULT_OUTPUT_SAMPLE_RATE : Number(rateRaw);
  if (!(OUTPUT_SAMPLE_RATES as readonly number[]).includes(sampleRate) || (rateRaw !== undefined && rateRaw !== '' && !/^\d+$/.test(rateRaw))) {
    throw badRequest(`\`sample_rate\` must be one of ${OUTPUT_SAMPLE_RATES.join(', ')} (Hz).`, { code: 'invalid_parameter', param: 'sample_rate', valid: OUTPUT_SAMPLE_RATES });
  }
  return { model, strength, loudnessLufs, sampleRate };
}

function numberField(fields: Record<string, string>, name: string, dflt: number, min: number, max: number, what: string): number {
  const raw = fields[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw.trim());
  if (!NUMBER.test(raw.trim()) || !(v >= min && v <= max)) {
    throw badRequest(`\`${name}\` must be ${what}; got '${clip(raw)}'.`, { code: 'invalid_parameter', param: name, min, max });
  }
  return v;
}
