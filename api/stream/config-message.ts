/**
 * The first message of WS /v1/stream: `{"language": "en"|"auto", "model": "..."}`, validated, with
 * optional follow-up steps run as a job when the stream ends (api/stream/follow-up.ts):
 * `"diarize": true` (+ `"speakers": n`) on the recorded audio, `"summarize": "brief"|...` on the transcript.
 */
import { isKnownLanguage } from '../../lib/catalog/languages';
import { SUMMARY_STYLES, type SummaryStyle } from '../../workflows/model';
import { ModelNotInstalledError, type ModelRegistry } from '../../lib/models/registry';
import { clip } from '../errors';
import { CloseCode, StreamError } from './close-codes';

/** The contract's default transcription model (its own examples, the browser one included, name it). */
const CONTRACT_DEFAULT_MODEL = 'large-v3-turbo';

export interface StreamConfig {
  language: string;
  /** The model that runs. */
  model: string;
  /** Set when the client named the contract's default and another installed model runs instead (told in `ready`). */
  requestedModel?: string;
  /** Steps to run as a follow-up job once the stream ends; absent: none asked for. */
  followUp?: FollowUpSteps;
}

export interface FollowUpSteps {
  /** Speaker diarization on the recorded audio (0 speakers: detected). */
  diarize?: { speakers: number };
  summarize?: SummaryStyle;
}

function parseFollowUp(b: Record<string, unknown>): FollowUpSteps | undefined {
  const f: FollowUpSteps = {};
  if (b.diarize !== undefined && typeof b.diarize !== 'boolean') throw new StreamError(CloseCode.Policy, '`diarize` must be true or false.', { param: 'diarize' });
  const speakers = b.speakers ?? 0;
  if (typeof speakers !== 'number' || !Number.isInteger(speakers) || speakers < 0 || speakers > 32) {
    throw new StreamError(CloseCode.Policy, '`speakers` must be a whole number from 0 (auto) to 32.', { param: 'speakers' });
  }
  if (b.diarize) f.diarize = { speakers };
  else if (b.speakers !== undefined) throw new StreamError(CloseCode.Policy, '`speakers` needs `"diarize": true`.', { param: 'speakers' });
  if (b.summarize !== undefined && b.summarize !== false) {
    const style = b.summarize === true ? 'brief' : b.summarize;
    if (typeof style !== 'string' || !(SUMMARY_STYLES as readonly string[]).includes(style)) {
      throw new StreamError(CloseCode.Policy, `\`summarize\` must be true or a style: ${SUMMARY_STYLES.join(', ')}.`, { param: 'summarize' });
    }
    f.summarize = style as SummaryStyle;
  }
  return f.diarize || f.summarize ? f : undefined;
}

export function parseStreamConfig(text: string, models: ModelRegistry): StreamConfig {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StreamError(CloseCode.UnsupportedData, 'Text frames must be JSON. Send the config first: {"language": "auto", "model": "large-v3-turbo"}.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new StreamError(CloseCode.Policy, 'The first message must be the JSON config object: {"language": "auto", "model": "large-v3-turbo"}.');
  }
  const b = body as Record<string, unknown>;
  if ('action' in b) throw new StreamError(CloseCode.Policy, 'Send the JSON config ({"language": ..., "model": ...}) before any action.');
  for (const k of ['language', 'model']) {
    if (b[k] !== undefined && typeof b[k] !== 'string') throw new StreamError(CloseCode.Policy, `\`${k}\` must be a string.`, { param: k });
  }
  const language = ((b.language as string | undefined) || 'auto').toLowerCase();
  if (language !== 'auto' && !isKnownLanguage(language)) {
    throw new StreamError(CloseCode.Policy, `Unknown language '${clip(b.language as string)}'. Use an ISO 639-1 code from GET /v1/languages, or 'auto'.`, { param: 'language' });
  }
  const requested = (b.model as string | undefined) || undefined;
  const followUp = parseFollowUp(b);
  try {
    return { language, model: models.resolveTranscriptionModel(requested), ...(followUp ? { followUp } : {}) };
  } catch (err) {
    if (!(err instanceof ModelNotInstalledError)) throw err;
    // The contract's default named explicitly means "the default": the best installed model runs, and
    // `ready` says which (never silently). Any other model that is not installed is refused.
    if (requested === CONTRACT_DEFAULT_MODEL && err.installed.length) return { language, model: err.installed[0], requestedModel: requested, ...(followUp ? { followUp } : {}) };
    const message = err.message.replace(err.requested, clip(err.requested));
    throw new StreamError(CloseCode.Policy, message, { code: 'model_not_installed', param: 'model', installed: err.installed });
  }
}
