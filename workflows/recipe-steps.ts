/**
 * The recipe step registry: what each step of POST /v1/jobs needs and produces, how its options are
 * read, and what it costs. The API validates a whole chain with it before anything runs; the recipe
 * workflow (workflows/recipe.ts) runs the validated chain. A new step plugs in with one entry here
 * and one runner in workflows/recipe-runners.ts.
 *
 * Built-in-free and workflow-safe: facts that only the API knows (installed models, translation
 * pairs) come in through `StepEnv`.
 */
import { ANALYSIS_TYPES, GENERATION_TYPES, SUMMARY_STYLES, type EnhanceOptions, type RecipeChain, type RecipeStep, type StepName } from './model';

/** What a step reads or writes. `text` is the input text, or a transcript's text (derived on demand). */
export type Artifact = 'media' | 'transcript' | 'text' | 'translation' | 'summary' | 'analysis' | 'generation' | 'subtitles' | 'vectors';

export type RecipeStepName = RecipeStep['step'];

/** What the API tells the validator about this installation. */
export interface StepEnv {
  /** The installed transcription model for a requested name (throws a message when none fits). */
  transcriptionModel(requested: string | undefined): string;
  isLanguage(code: string): boolean;
  /** Source language → engine, for every source this installation translates into `target`. */
  translationSources(target: string): Record<string, string>;
  /** The enhance step's options resolved (an installed denoiser, `ffmpeg` or `none`; defaults filled); throws a message when invalid. */
  enhanceOptions(raw: { model?: string; strength?: number; loudness?: number; sample_rate?: number }): EnhanceOptions;
}

/** A rejection of a chain: `step` is the index (0-based) of the first step that cannot run, `param` the option at fault. */
export class RecipeError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly step?: number,
    readonly param?: string,
  ) {
    super(message);
  }
}

type Raw = Record<string, unknown>;

interface StepSpec {
  needs: Artifact[];
  produces: Artifact[];
  /** How the step is priced (pricing.ts): audio (one ⌈minutes⌉ per request), text (per 4,000 chars it reads) or free. */
  price: 'audio' | 'text' | 'free';
  options: readonly string[];
  /** Steps this one must run before (enhance cleans the audio transcribe and diarize read). */
  before?: readonly RecipeStepName[];
  parse(raw: Raw, env: StepEnv, fail: (msg: string, param?: string) => never): RecipeStep[];
}

const str = (raw: Raw, name: string, fail: (m: string, p?: string) => never): string | undefined => {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`\`${name}\` must be a string.`, name);
  return v as string;
};

function choice<T extends string>(raw: Raw, name: string, valid: readonly T[], dflt: T | undefined, fail: (m: string, p?: string) => never): T {
  const v = str(raw, name, fail);
  if (v === undefined) {
    if (dflt === undefined) fail(`\`${name}\` is required. Valid values: ${valid.join(', ')}.`, name);
    return dflt as T;
  }
  if (!valid.includes(v as T)) fail(`unknown ${name} '${v.slice(0, 64)}'. Valid values: ${valid.join(', ')}.`, name);
  return v as T;
}

export const STEP_SPECS: Record<RecipeStepName, StepSpec> = {
  enhance: {
    // Audio to audio: the steps after it that read the audio read the enhanced one.
    needs: ['media'],
    produces: ['media'],
    price: 'audio',
    options: ['model', 'strength', 'loudness', 'sample_rate'],
    before: ['transcribe', 'diarize'],
    parse(raw, env, fail) {
      for (const k of ['strength', 'loudness', 'sample_rate'] as const) {
        if (raw[k] !== undefined && typeof raw[k] !== 'number') fail(`\`${k}\` must be a number.`, k);
      }
      try {
        const o = env.enhanceOptions({ model: str(raw, 'model', fail), strength: raw.strength as number | undefined, loudness: raw.loudness as number | undefined, sample_rate: raw.sample_rate as number | undefined });
        return [{ step: 'enhance', ...o }];
      } catch (err) {
        return fail((err as Error).message, (err as { param?: string }).param);
      }
    },
  },
  transcribe: {
    needs: ['media'],
    produces: ['transcript', 'text'],
    price: 'audio',
    options: ['model', 'language', 'diarize', 'speakers'],
    parse(raw, env, fail) {
      const language = (str(raw, 'language', fail) ?? 'auto').toLowerCase();
      if (language !== 'auto' && !env.isLanguage(language)) fail(`unknown language '${language.slice(0, 16)}'. Use an ISO 639-1 code from GET /v1/languages, or 'auto'.`, 'language');
      let model: string;
      try {
        model = env.transcriptionModel(str(raw, 'model', fail));
      } catch (err) {
        return fail((err as Error).message, 'model');
      }
      const diarize = raw.diarize ?? false;
      if (typeof diarize !== 'boolean') fail('`diarize` must be true or false.', 'diarize');
      const steps: RecipeStep[] = [{ step: 'transcribe', model, language, wordTimestamps: true }];
      // `diarize: true` is the diarize step right after, with the same `speakers`.
      if (diarize) steps.push({ step: 'diarize', speakers: speakers(raw, fail) });
      else if (raw.speakers !== undefined) fail('`speakers` needs `diarize: true` (or a diarize step).', 'speakers');
      return steps;
    },
  },
  diarize: {
    needs: ['media', 'transcript'],
    produces: ['transcript'],
    price: 'audio',
    options: ['speakers'],
    parse: (raw, _env, fail) => [{ step: 'diarize', speakers: speakers(raw, fail) }],
  },
  translate: {
    needs: ['text'],
    produces: ['translation'],
    price: 'text',
    options: ['target', 'source'],
    parse(raw, env, fail) {
      const target = str(raw, 'target', fail)?.trim().toLowerCase();
      if (!target) fail('`target` is required: the language to translate into (GET /v1/languages?task=translate lists them).', 'target');
      const engines = env.translationSources(target!);
      if (!Object.keys(engines).length) fail(`nothing on this server translates into '${target!.slice(0, 16)}' (GET /v1/languages?task=translate lists what does).`, 'target');
      const source = str(raw, 'source', fail)?.trim().toLowerCase();
      if (source !== undefined && !engines[source]) {
        fail(`translation from '${source.slice(0, 16)}' to '${target}' is not supported here; sources into '${target}': ${Object.keys(engines).join(', ')}.`, 'source');
      }
      return [{ step: 'translate', target: target!, ...(source ? { source } : {}), engines }];
    },
  },
  summarize: {
    needs: ['text'],
    produces: ['summary'],
    price: 'text',
    options: ['style'],
    parse: (raw, _env, fail) => [{ step: 'summarize', style: choice(raw, 'style', SUMMARY_STYLES, 'brief', fail) }],
  },
  analyze: {
    needs: ['text'],
    produces: ['analysis'],
    price: 'text',
    options: ['type'],
    parse: (raw, _env, fail) => [{ step: 'analyze', type: choice(raw, 'type', ANALYSIS_TYPES, undefined, fail) }],
  },
  generate: {
    needs: ['text'],
    produces: ['generation'],
    price: 'text',
    options: ['type'],
    parse: (raw, _env, fail) => [{ step: 'generate', type: choice(raw, 'type', GENERATION_TYPES, undefined, fail) }],
  },
  format: {
    // Subtitles of the transcript, in the translation's language when a translate step ran before.
    needs: ['transcript'],
    produces: ['subtitles'],
    price: 'free',
    options: ['formats'],
    parse(raw, _env, fail) {
      const v = raw.formats ?? ['srt', 'vtt'];
      if (!Array.isArray(v) || !v.length || v.some((f) => f !== 'srt' && f !== 'vtt')) fail('`formats` must be a non-empty list of srt, vtt.', 'formats');
      return [{ step: 'format', formats: [...new Set(v as Array<'srt' | 'vtt'>)] }];
    },
  },
  embed: {
    // Sentence vectors (lib/embeddings) of a transcript's segments, or of the text's paragraphs.
    needs: ['text'],
    produces: ['vectors'],
    price: 'text',
    options: [],
    parse: () => [{ step: 'embed' }],
  },
};

function speakers(raw: Raw, fail: (m: string, p?: string) => never): number {
  const v = raw.speakers ?? 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 32) fail('`speakers` must be a whole number from 0 (auto) to 32.', 'speakers');
  return v as number;
}

export const RECIPE_STEP_NAMES = Object.keys(STEP_SPECS) as RecipeStepName[];

/** Named chains. `subtitles-<lang>` is one preset per translation target. */
export const PRESETS: Record<string, { input: 'media'; steps: Raw[]; doc: string }> = {
  meeting: {
    input: 'media',
    doc: 'transcribe with speakers, summarize the action items, generate meeting notes',
    steps: [{ step: 'transcribe', diarize: true }, { step: 'summarize', style: 'action_items' }, { step: 'generate', type: 'meeting_notes' }],
  },
};

export function presetSteps(name: string): Raw[] | undefined {
  if (PRESETS[name]) return PRESETS[name].steps;
  const sub = /^subtitles-([a-z]{2,3})$/.exec(name);
  if (sub) return [{ step: 'transcribe' }, { step: 'translate', target: sub[1] }, { step: 'format', formats: ['srt', 'vtt'] }];
  return undefined;
}

export const PRESET_NAMES = [...Object.keys(PRESETS), 'subtitles-<lang>'];

/** A recipe holds at most this many steps. */
export const MAX_STEPS = 8;

/**
 * Validates a chain against what each step needs and what the input and the steps before it
 * produce; returns the normalized steps (options resolved, `diarize: true` expanded). Throws a
 * RecipeError naming the first step that cannot run, and why.
 */
export function validateChain(input: RecipeChain['input'], rawSteps: unknown, env: StepEnv): RecipeStep[] {
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) {
    throw new RecipeError(`\`steps\` must be a non-empty list of steps, each {"step": one of ${RECIPE_STEP_NAMES.join(', ')}, …options}.`, 'invalid_steps', undefined, 'steps');
  }
  if (rawSteps.length > MAX_STEPS) throw new RecipeError(`a recipe has at most ${MAX_STEPS} steps; this one has ${rawSteps.length}.`, 'invalid_steps', undefined, 'steps');
  const have = new Set<Artifact>(input === 'media' ? ['media'] : input === 'text' ? ['text'] : ['transcript', 'text']);
  const inputName = input === 'media' ? 'an uploaded file' : input === 'text' ? '`text`' : 'a stored transcript';
  const out: RecipeStep[] = [];
  rawSteps.forEach((raw, i) => {
    const where = `step ${i + 1}`;
    // A bare name is the step with its defaults: "transcribe" is {"step": "transcribe"}.
    const r = (typeof raw === 'string' ? { step: raw } : raw) as Raw;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new RecipeError(`${where} must be an object such as {"step": "summarize"}.`, 'invalid_step', i, 'steps');
    const name = r.step;
    if (typeof name !== 'string' || !(name in STEP_SPECS)) {
      throw new RecipeError(`${where}: unknown step ${typeof name === 'string' ? `'${name.slice(0, 32)}'` : '(missing `step`)'}. Valid steps: ${RECIPE_STEP_NAMES.join(', ')}.`, 'unknown_step', i, 'step');
    }
    const spec = STEP_SPECS[name as RecipeStepName];
    const label = `${where} (${name})`;
    const unknown = Object.keys(r).filter((k) => k !== 'step' && !spec.options.includes(k));
    if (unknown.length) throw new RecipeError(`${label}: unknown option ${unknown.map((k) => `\`${k.slice(0, 32)}\``).join(', ')}. Its options: ${spec.options.join(', ') || 'none'}.`, 'invalid_parameter', i, unknown[0]);
    const late = out.find((s) => spec.before?.includes(s.step));
    if (late) throw new RecipeError(`${label} cannot run after ${late.step}: it must come before ${spec.before!.join(' and ')}, which read the audio it makes.`, 'step_cannot_run', i);
    const missing = spec.needs.filter((a) => !have.has(a));
    if (missing.length) {
      throw new RecipeError(`${label} cannot run: it needs ${spec.needs.join(' and ')}, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} neither in the input (${inputName}) nor made by a step before it.`, 'step_cannot_run', i);
    }
    const fail = (message: string, param?: string): never => {
      throw new RecipeError(`${label}: ${message}`, 'invalid_parameter', i, param);
    };
    for (const step of spec.parse(r, env, fail)) {
      if (out.some((s) => s.step === step.step)) throw new RecipeError(`${label}: ${step.step} already runs earlier in this recipe; each step runs once.`, 'duplicate_step', i);
      out.push(step);
      for (const a of STEP_SPECS[step.step].produces) have.add(a);
    }
  });
  return out;
}

/** The step names a chain shows in the job view (a media recipe probes its upload first). */
export function chainStepNames(chain: Pick<RecipeChain, 'input' | 'steps'>): StepName[] {
  return [...(chain.input === 'media' ? (['probe'] as StepName[]) : []), ...chain.steps.map((s) => s.step)];
}

/** The audio-priced steps of a chain, in order (pricing.ts requestShares: one ⌈minutes⌉ for the request). */
export const audioSteps = (steps: readonly RecipeStep[]): StepName[] => steps.filter((s) => STEP_SPECS[s.step].price === 'audio').map((s) => s.step);
