import { PRESET_NAMES, RecipeError, audioSteps, chainStepNames, presetSteps, validateChain, type StepEnv } from '../../workflows/recipe-steps';
import { requestShares, textCredits } from '../../workflows/pricing';

const env: StepEnv = {
  transcriptionModel: (m) => {
    if (m && m !== 'whisper-base') throw new Error(`Model '${m}' is not installed. Installed: whisper-base.`);
    return 'whisper-base';
  },
  isLanguage: (c) => ['en', 'es', 'fr', 'ca'].includes(c),
  translationSources: (t): Record<string, string> => (t === 'es' ? { en: 'apertium' } : t === 'en' ? { es: 'llm', ca: 'apertium' } : {}),
};

const reject = (input: 'media' | 'text' | 'transcript', steps: unknown): RecipeError => {
  try {
    validateChain(input, steps, env);
  } catch (err) {
    if (err instanceof RecipeError) return err;
    throw err;
  }
  throw new Error('accepted');
};

describe('recipe validation', () => {
  it('names the first step that cannot run and what it lacks', () => {
    const e = reject('media', [{ step: 'summarize' }]);
    expect(e.step).toBe(0);
    expect(e.code).toBe('step_cannot_run');
    expect(e.message).toMatch(/step 1 \(summarize\) cannot run: it needs text, and text is neither in the input \(an uploaded file\)/);

    const d = reject('text', [{ step: 'summarize' }, { step: 'diarize' }]);
    expect(d.step).toBe(1);
    expect(d.message).toMatch(/step 2 \(diarize\) cannot run: it needs media and transcript, and media and transcript are neither/);

    // A stored transcript has text and a transcript, but no media to diarize.
    expect(reject('transcript', [{ step: 'diarize' }]).message).toMatch(/needs media and transcript, and media is neither in the input \(a stored transcript\)/);
    expect(reject('text', [{ step: 'format' }]).message).toMatch(/\(format\) cannot run: it needs transcript/);
  });

  it('accepts chains whose steps are fed by the ones before', () => {
    const steps = validateChain('media', ['transcribe', { step: 'diarize', speakers: 2 }, { step: 'translate', target: 'es' }, { step: 'summarize', style: 'action_items' }], env);
    expect(steps.map((s) => s.step)).toEqual(['transcribe', 'diarize', 'translate', 'summarize']);
    expect(steps[2]).toEqual({ step: 'translate', target: 'es', engines: { en: 'apertium' } });
    expect(chainStepNames({ input: 'media', steps })).toEqual(['probe', 'transcribe', 'diarize', 'translate', 'summarize']);
    expect(chainStepNames({ input: 'text', steps: validateChain('text', [{ step: 'analyze', type: 'topics' }], env) })).toEqual(['analyze']);
  });

  it('expands transcribe {diarize: true} into a diarize step priced once with the transcription', () => {
    const steps = validateChain('media', [{ step: 'transcribe', diarize: true, speakers: 3 }], env);
    expect(steps).toEqual([
      { step: 'transcribe', model: 'whisper-base', language: 'auto', wordTimestamps: true },
      { step: 'diarize', speakers: 3 },
    ]);
    // 61 s: ⌈minutes⌉ = 2 credits for the request, carried by transcribe; diarize adds nothing.
    expect(requestShares(audioSteps(steps), 61)).toEqual({ transcribe: 2, diarize: 0 });
    expect(textCredits(4001)).toBe(2);
  });

  it('rejects bad options with the valid values, and unknown or repeated steps', () => {
    expect(reject('text', [{ step: 'summarize', style: 'haiku' }]).message).toMatch(/step 1 \(summarize\): unknown style 'haiku'. Valid values: brief, detailed, action_items, bullet_points/);
    expect(reject('text', [{ step: 'analyze' }]).message).toMatch(/`type` is required. Valid values: sentiment/);
    expect(reject('text', [{ step: 'translate', target: 'xx' }]).message).toMatch(/nothing on this server translates into 'xx'/);
    expect(reject('text', [{ step: 'translate', target: 'es', source: 'fr' }]).message).toMatch(/from 'fr' to 'es' is not supported here; sources into 'es': en/);
    expect(reject('media', [{ step: 'transcribe', model: 'whisper-huge' }]).message).toMatch(/Model 'whisper-huge' is not installed/);
    expect(reject('media', [{ step: 'transcribe', language: 'zz' }]).param).toBe('language');
    expect(reject('media', [{ step: 'transcribe', speakers: 2 }]).message).toMatch(/`speakers` needs `diarize: true`/);
    expect(reject('text', [{ step: 'summarize', colour: 'red' }]).message).toMatch(/unknown option `colour`. Its options: style/);
    expect(reject('text', [{ step: 'dance' }]).message).toMatch(/unknown step 'dance'. Valid steps: transcribe, diarize, translate, summarize, analyze, generate, format/);
    expect(reject('media', [{ step: 'transcribe', diarize: true }, { step: 'diarize' }]).code).toBe('duplicate_step');
    expect(reject('text', []).code).toBe('invalid_steps');
    expect(reject('text', 'summarize').code).toBe('invalid_steps');
    expect(reject('text', [42]).code).toBe('invalid_step');
  });

  it('builds the presets into valid media chains', () => {
    expect(PRESET_NAMES).toEqual(['meeting', 'subtitles-<lang>']);
    const meeting = validateChain('media', presetSteps('meeting'), env);
    expect(meeting).toEqual([
      { step: 'transcribe', model: 'whisper-base', language: 'auto', wordTimestamps: true },
      { step: 'diarize', speakers: 0 },
      { step: 'summarize', style: 'action_items' },
      { step: 'generate', type: 'meeting_notes' },
    ]);
    const subs = validateChain('media', presetSteps('subtitles-es'), env);
    expect(subs.map((s) => s.step)).toEqual(['transcribe', 'translate', 'format']);
    expect(subs[2]).toEqual({ step: 'format', formats: ['srt', 'vtt'] });
    expect(presetSteps('subtitles-')).toBeUndefined();
    // A preset still meets the installation: no engine into Klingon.
    expect(() => validateChain('media', presetSteps('subtitles-tlh'), env)).toThrow(/nothing on this server translates into 'tlh'/);
  });
});
