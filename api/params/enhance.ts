/**
 * POST /v1/enhance-audio form fields (and `enhance=true` on /v1/transcribe) → validated options:
 * `model` (an installed denoiser, `ffmpeg` or `none`), `denoise` strength 0..1, `loudness` target
 * in LUFS, `sample_rate` of the output. `enhanceForm` is the schema /openapi.json publishes and the
 * fields are parsed with; which models are installed is this server's to say, after. Every 400
 * names the field and the values it accepts.
 */
import { z } from 'zod';
import { DEFAULT_LOUDNESS_LUFS, DEFAULT_OUTPUT_SAMPLE_RATE, LOUDNESS_RANGE, OUTPUT_SAMPLE_RATES } from '../../lib/audio/enhance';
import { FILTER_CHOICES, isFilterChoice } from '../../lib/denoise/catalog';
import type { ModelRegistry } from '../../lib/models/registry';
import type { Config } from '../../lib/config';
import type { EnhanceOptions } from '../../workflows/model';
import { badRequest, clip } from '../errors';
import { parseForm } from '../openapi/route';
import { webhookFields } from './webhook';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A decimal number in a form field, within [min, max]; the 400 quotes what was sent (clipped). */
const numberText = (name: string, min: number, max: number, what: string) =>
  z
    .string()
    .refine((raw) => NUMBER.test(raw.trim()) && Number(raw.trim()) >= min && Number(raw.trim()) <= max, {
      error: (iss) => `\`${name}\` must be ${what}; got '${clip(String(iss.input))}'.`,
      params: { min, max },
    })
    .transform((raw) => Number(raw.trim()))
    .optional();

const RATE_WORDS = `\`sample_rate\` must be one of ${OUTPUT_SAMPLE_RATES.join(', ')} (Hz).`;

/** The enhancement fields, shared by /v1/transcribe's `enhance=true` (there `model` is `enhance_model`). */
export const enhanceFields = {
  denoise: numberText('denoise', 0, 1, 'a number from 0 (original audio) to 1 (fully denoised)').describe('Strength of a neural denoiser, 0 to 1 (default 1).'),
  loudness: numberText('loudness', LOUDNESS_RANGE.min, LOUDNESS_RANGE.max, `a loudness target in LUFS from ${LOUDNESS_RANGE.min} to ${LOUDNESS_RANGE.max}`).describe(`Loudness target in LUFS (default ${DEFAULT_LOUDNESS_LUFS}).`),
};

export const enhanceForm = z.object({
  file: z.file().describe('Audio or video (format decided by content).'),
  model: z.string().optional().describe('An installed denoiser (GET /v1/models), `ffmpeg` or `none`; default: the configured one, else the best installed.'),
  ...enhanceFields,
  sample_rate: z
    .enum(OUTPUT_SAMPLE_RATES.map(String) as [string, ...string[]], { error: RATE_WORDS })
    .transform(Number)
    .optional()
    .describe(`Output sample rate in Hz (default ${DEFAULT_OUTPUT_SAMPLE_RATE}).`),
  async: z.string().optional().describe('`true`: like `Prefer: respond-async`.'),
  ...webhookFields,
});

/** The model a request without `model` gets: the configured one, else the best installed denoiser, else ffmpeg. */
export function defaultEnhanceModel(models: ModelRegistry, config?: Pick<Config, 'enhance'>): string {
  return config?.enhance.model ?? models.installedDenoisers()[0] ?? 'ffmpeg';
}

/**
 * `modelField`: the form field naming the model (`model` on /v1/enhance-audio, `enhance_model` on
 * /v1/transcribe, whose `model` is the ASR model).
 */
export function parseEnhanceParams(fields: Record<string, string>, models: ModelRegistry, config?: Pick<Config, 'enhance'>, modelField = 'model'): EnhanceOptions {
  const { model: requested, denoise, loudness, sample_rate } = parseForm(enhanceForm, { ...fields, model: fields[modelField] ?? '' });
  const valid = [...models.installedDenoisers(), ...FILTER_CHOICES];
  const model = requested ? requested.toLowerCase() : defaultEnhanceModel(models, config);
  if (!valid.includes(model)) {
    throw badRequest(`Unknown or uninstalled enhancement model '${clip(requested ?? model)}' in \`${modelField}\`. Valid values: ${valid.join(', ')}.`, { code: 'invalid_parameter', param: modelField, valid });
  }
  const strength = denoise ?? 1;
  if (isFilterChoice(model) && denoise !== undefined && strength !== 1) {
    throw badRequest(`\`denoise\` strength applies to the neural models (${models.installedDenoisers().join(', ') || 'none installed'}), not to '${model}'.`, { code: 'invalid_parameter', param: 'denoise' });
  }
  return { model, strength, loudnessLufs: loudness ?? config?.enhance.loudnessLufs ?? DEFAULT_LOUDNESS_LUFS, sampleRate: sample_rate ?? DEFAULT_OUTPUT_SAMPLE_RATE };
}
