/**
 * POST /v1/jobs parameters: the chain (`steps` or `preset`), validated up front against what each
 * step needs and produces (workflows/recipe-steps.ts).
 */
import { isKnownLanguage } from '../../lib/catalog/languages';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import type { PairChoice } from '../../lib/translate/pairs';
import type { RecipeChain, RecipeStep } from '../../workflows/model';
import { PRESET_NAMES, RecipeError, presetSteps, validateChain, type StepEnv } from '../../workflows/recipe-steps';
import { badRequest, clip, HttpError } from '../errors';
import type { Config } from '../../lib/config';
import { parseEnhanceParams } from './enhance';

/** What the validator may ask about this installation. */
export function stepEnv(models: ModelRegistry, pairs: readonly PairChoice[], config?: Pick<Config, 'enhance'>): StepEnv {
  return {
    transcriptionModel(requested) {
      try {
        return models.resolveTranscriptionModel(requested || undefined);
      } catch (err) {
        if (err instanceof ModelNotInstalledError) throw new Error(err.message.replace(err.requested, clip(err.requested)));
        throw err;
      }
    },
    isLanguage: isKnownLanguage,
    translationSources: (target) => Object.fromEntries(pairs.filter((p) => p.target === target).map((p) => [p.source, p.engine])),
    // The same rules as POST /v1/enhance-audio (its form fields; `strength` is its `denoise`).
    enhanceOptions(raw) {
      const fields: Record<string, string> = {};
      if (raw.model !== undefined) fields.model = raw.model;
      if (raw.strength !== undefined) fields.denoise = String(raw.strength);
      if (raw.loudness !== undefined) fields.loudness = String(raw.loudness);
      if (raw.sample_rate !== undefined) fields.sample_rate = String(raw.sample_rate);
      try {
        return parseEnhanceParams(fields, models, config);
      } catch (err) {
        if (err instanceof HttpError) {
          const param = err.extra.param === 'denoise' ? 'strength' : (err.extra.param as string | undefined);
          throw Object.assign(new Error(err.message.replace('`denoise`', '`strength`')), { param });
        }
        throw err;
      }
    },
  };
}

/** `steps` (a list, or its JSON text in a form field) or `preset` — exactly one — validated into the chain's steps. */
export function readChain(input: RecipeChain['input'], steps: unknown, preset: unknown, env: StepEnv): { name: string; steps: RecipeStep[] } {
  const hasSteps = steps !== undefined && steps !== null && steps !== '';
  const hasPreset = preset !== undefined && preset !== null && preset !== '';
  if (hasSteps === hasPreset) {
    throw badRequest(`Send either \`steps\` (a list of steps) or \`preset\` (one of ${PRESET_NAMES.join(', ')}), ${hasSteps ? 'not both' : 'one is required'}.`, { code: hasSteps ? 'invalid_parameter' : 'missing_parameter', param: 'steps' });
  }
  let raw: unknown;
  let name = 'custom';
  if (hasPreset) {
    if (typeof preset !== 'string' || !presetSteps(preset)) {
      throw badRequest(`Unknown preset ${typeof preset === 'string' ? `'${clip(preset, 64)}'` : ''}. Presets: ${PRESET_NAMES.join(', ')}.`, { code: 'invalid_parameter', param: 'preset', valid: PRESET_NAMES });
    }
    raw = presetSteps(preset);
    name = preset;
  } else if (typeof steps === 'string') {
    try {
      raw = JSON.parse(steps);
    } catch {
      throw badRequest('`steps` is not valid JSON: send a JSON list such as [{"step": "transcribe"}, {"step": "summarize"}].', { code: 'invalid_parameter', param: 'steps' });
    }
  } else raw = steps;
  try {
    return { name, steps: validateChain(input, raw, env) };
  } catch (err) {
    if (err instanceof RecipeError) {
      throw badRequest(hasPreset ? `Preset ${name}: ${err.message}` : err.message, { code: err.code, ...(err.step !== undefined ? { step: err.step } : {}), ...(err.param ? { param: err.param } : {}) });
    }
    throw err;
  }
}
