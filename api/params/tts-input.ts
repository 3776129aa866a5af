/**
 * POST /v1/tts parameters, the same for a form and a JSON body: `text` (required, non-empty, at
 * most VOXFLOW_TTS_MAX_CHARS characters, something speakable), `voice` (an installed voice; default
 * VOXFLOW_TTS_VOICE, else the first installed), `sample_rate` (8,000–48,000 Hz; default the voice's).
 * Every rejection is a 400 that says what is valid.
 */
import type { ModelRegistry } from '../../lib/models/registry';
import { badRequest, clip } from '../errors';

export interface TtsParams {
  text: string;
  chars: number;
  voice: string;
  sampleRate?: number;
}

export function ttsParams(raw: Record<string, unknown>, opts: { maxChars: number; defaultVoice: string; models: Pick<ModelRegistry, 'installedVoices'> }): TtsParams {
  const v = raw.text;
  if (v === undefined || v === null) throw badRequest('`text` is required: the text to speak.', { code: 'missing_parameter', param: 'text' });
  if (typeof v !== 'string') throw badRequest('`text` must be a string.', { code: 'invalid_parameter', param: 'text' });
  if (v.trim() === '') throw badRequest('`text` is empty.', { code: 'empty_text', param: 'text' });
  let chars = 0;
  for (const _ of v) if (++chars > opts.maxChars) break;
  if (chars > opts.maxChars) {
    throw badRequest(`\`text\` is longer than ${opts.maxChars.toLocaleString('en-US')} characters, the limit of this endpoint (VOXFLOW_TTS_MAX_CHARS).`, { code: 'text_too_long', param: 'text', limit: opts.maxChars });
  }
  if (!/[\p{L}\p{N}]/u.test(v)) throw badRequest('`text` has no letters or digits to speak.', { code: 'empty_text', param: 'text' });

  const installed = opts.models.installedVoices();
  const asked = raw.voice;
  if (asked !== undefined && asked !== null && asked !== '') {
    if (typeof asked !== 'string' || !installed.includes(asked)) {
      const shown = typeof asked === 'string' ? `'${clip(asked)}'` : `a ${typeof asked}`;
      throw badRequest(`Unknown voice ${shown}. Installed voices: ${installed.join(', ') || 'none (run scripts/models/install-tts.sh)'}.`, { code: 'unknown_voice', param: 'voice', valid: installed });
    }
  }
  const voice = typeof asked === 'string' && asked ? asked : installed.includes(opts.defaultVoice) ? opts.defaultVoice : installed[0];
  if (!voice) throw badRequest('No TTS voice is installed on this server: run scripts/models/install-tts.sh.', { code: 'model_not_installed', param: 'voice', valid: [] });

  let sampleRate: number | undefined;
  const sr = raw.sample_rate;
  if (sr !== undefined && sr !== null && sr !== '') {
    const n = typeof sr === 'number' ? sr : typeof sr === 'string' && /^\d+$/.test(sr.trim()) ? Number(sr) : NaN;
    if (!Number.isInteger(n) || n < 8000 || n > 48000) {
      throw badRequest('`sample_rate` must be a whole number of Hz from 8000 to 48000.', { code: 'invalid_parameter', param: 'sample_rate' });
    }
    sampleRate = n;
  }
  return { text: v, chars, voice, sampleRate };
}
