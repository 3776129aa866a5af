/**
 * POST /v1/tts parameters, the same for a form and a JSON body: `text` (required, non-empty, at
 * most VOXFLOW_TTS_MAX_CHARS characters, something speakable), `voice` (an installed voice; default
 * VOXFLOW_TTS_VOICE, else the first installed), `sample_rate` (8,000–48,000 Hz; default the voice's).
 * `ttsBody` (JSON) and `ttsForm` (multipart, with the `reference` clip) are the schemas /openapi.json
 * publishes; both are read with `ttsBody`. Every rejection is a 400 that says what is valid.
 */
import { z } from 'zod';
import type { ModelRegistry } from '../../lib/models/registry';
import { badRequest, clip } from '../errors';
import { parseInput } from '../openapi/validate';

export interface TtsParams {
  text: string;
  chars: number;
  voice: string;
  sampleRate?: number;
}

const RATE_WORDS = '`sample_rate` must be a whole number of Hz from 8000 to 48000.';

export const ttsBody = z.object({
  text: z
    .string({ error: (iss) => (iss.input === undefined || iss.input === null ? '`text` is required: the text to speak.' : '`text` must be a string.') })
    .refine((v) => v.trim() !== '', { error: '`text` is empty.', params: { code: 'empty_text' } })
    .refine((v) => /[\p{L}\p{N}]/u.test(v), { error: '`text` has no letters or digits to speak.', params: { code: 'empty_text' } })
    .describe('The text to speak (at most VOXFLOW_TTS_MAX_CHARS characters).'),
  voice: z.string().nullish().describe('An installed voice (GET /v1/models, type tts); default VOXFLOW_TTS_VOICE, else the first installed.'),
  // A number in JSON, digits in a form; '' is "not given".
  sample_rate: z
    .union([z.number(), z.string().regex(/^\s*\d*\s*$/, RATE_WORDS)], { error: RATE_WORDS })
    .transform((v) => (typeof v === 'string' && v.trim() === '' ? undefined : Number(v)))
    .pipe(z.number().int(RATE_WORDS).min(8000, RATE_WORDS).max(48000, RATE_WORDS).optional())
    .nullish()
    .describe('Output sample rate in Hz; default the voice’s.'),
  async: z.string().optional().describe('`true`: like `Prefer: respond-async`.'),
  stream: z.union([z.boolean(), z.string()]).nullish().describe('`false`: the complete WAV with Content-Length (default: streamed sentence by sentence, timings as trailers).'),
});

export const ttsForm = ttsBody.extend({
  reference: z.file().describe('A 3–10 s clip of the voice to imitate: validated, not cloned (X-Voice-Cloned: false).'),
});

export function ttsParams(raw: Record<string, unknown>, opts: { maxChars: number; defaultVoice: string; models: Pick<ModelRegistry, 'installedVoices'> }): TtsParams {
  const p = parseInput(ttsBody, raw);
  let chars = 0;
  for (const _ of p.text) if (++chars > opts.maxChars) break;
  if (chars > opts.maxChars) {
    throw badRequest(`\`text\` is longer than ${opts.maxChars.toLocaleString('en-US')} characters, the limit of this endpoint (VOXFLOW_TTS_MAX_CHARS).`, { code: 'text_too_long', param: 'text', limit: opts.maxChars });
  }
  const installed = opts.models.installedVoices();
  if (p.voice && !installed.includes(p.voice)) {
    throw badRequest(`Unknown voice '${clip(p.voice)}'. Installed voices: ${installed.join(', ') || 'none (run scripts/models/install-tts.sh)'}.`, { code: 'unknown_voice', param: 'voice', valid: installed });
  }
  const voice = p.voice || (installed.includes(opts.defaultVoice) ? opts.defaultVoice : installed[0]);
  if (!voice) throw badRequest('No TTS voice is installed on this server: run scripts/models/install-tts.sh.', { code: 'model_not_installed', param: 'voice', valid: [] });
  return { text: p.text, chars, voice, ...(p.sample_rate !== undefined && p.sample_rate !== null ? { sampleRate: p.sample_rate } : {}) };
}
