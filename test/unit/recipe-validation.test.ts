import { PRESET_NAMES, RecipeError, audioSteps, chainStepNames, presetSteps, validateChain, type StepEnv } from '../../workflows/recipe-steps';
import { requestShares, textCredits } from '../../workflows/pricing';

const env: StepEnv = {
  transcriptionModel: (m) => {
    if (m && m !== 'whisper-base') throw new Error(`Model '${m}' is not installed. Installed: whisper-base.`);
    return 'whisper-base';
  },
  isLanguage: (c) => ['en', 'es', 'fr', 'ca'].includes(c),
  translationSources: (t): Record<string, string> => (t === 'es' ? { en: 'apertium' } : t === 'en' ? { es: 'llm', ca: 'apertium' } : {}),
  enhanceOptions: (raw) => {
    if (raw.model && !['gtcrn', 'ffmpeg', 'none'].includes(raw.model)) throw Object.assign(new Error(`Unknown or uninstalled enhancement model '${raw.model}'`), { param: 'model' });
    return { model: raw.model ?? 'gtcrn', strength: raw.strength ?? 1, loudnessLufs: raw.loudness ?? -16, sampleRate: raw.sample_rate ?? 48000 };
  },
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
    expect(reject('text', [{ step: 'dance' }]).message).toMatch(/unknown step 'dance'. Valid steps: enhance, transcribe, diarize, translate, summarize, analyze, generate, format, embed/);
    expect(reject('media', [{ step: 'transcribe', diarize: true }, { step: 'diarize' }]).code).toBe('duplicate_step');
    expect(reject('text', []).code).toBe('invalid_steps');
    expect(reject('text', 'summarize').code).toBe('invalid_steps');
    expect(reject('text', [42]).code).toBe('invalid_step');
  });

  it('enhance cleans the audio before transcription; embed makes vectors of a transcript or a text', () => {
    const steps = validateChain('media', [{ step: 'enhance', strength: 0.8 }, 'transcribe', 'embed'], env);
    expect(steps).toEqual([
      { step: 'enhance', model: 'gtcrn', strength: 0.8, loudnessLufs: -16, sampleRate: 48000 },
      { step: 'transcribe', model: 'whisper-base', language: 'auto', wordTimestamps: true },
      { step: 'embed' },
    ]);
    expect(chainStepNames({ input: 'media', steps })).toEqual(['probe', 'enhance', 'transcribe', 'embed']);
    // One ⌈minutes⌉ for the request, carried by its first audio step (enhance); embed is a text step.
    expect(requestShares(audioSteps(steps), 30)).toEqual({ enhance: 1, transcribe: 0 });
    expect(validateChain('text', ['embed'], env)).toEqual([{ step: 'embed' }]);
    expect(validateChain('transcript', ['embed'], env)).toEqual([{ step: 'embed' }]);
    // After transcription it would clean audio nobody reads.
    const late = reject('media', ['transcribe', 'enhance']);
    expect(late).toMatchObject({ code: 'step_cannot_run', step: 1 });
    expect(late.message).toMatch(/step 2 \(enhance\) cannot run after transcribe: it must come before transcribe and diarize/);
    expect(reject('text', ['enhance']).message).toMatch(/\(enhance\) cannot run: it needs media/);
    expect(reject('media', ['embed']).message).toMatch(/\(embed\) cannot run: it needs text/);
    expect(reject('media', [{ step: 'enhance', model: 'rnnoise' }])).toMatchObject({ param: 'model', message: expect.stringMatching(/step 1 \(enhance\): Unknown or uninstalled enhancement model 'rnnoise'/) });
    expect(reject('media', [{ step: 'enhance', strength: 'high' }])).toMatchObject({ param: 'strength' });
    expect(reject('media', [{ step: 'embed', model: 'x' }]).message).toMatch(/unknown option `model`. Its options: none/);
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
