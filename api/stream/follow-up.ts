/**
 * The follow-up job a stream's config asked for (`"diarize": true`, `"summarize": "brief"`), started
 * once the stream's transcript is stored: an ordinary recipe job (POST /v1/jobs' workflow), so it
 * is durable, retried, listed, polled at /v1/jobs/:id and billed step by step exactly like REST.
 *  - summarize only: a transcript recipe on the stream's transcript (its rendered text, as
 *    `transcript_id` recipes read it) → summarize, priced per 4,000 characters;
 *  - diarize: a media recipe on the recorded audio (a WAV of what was streamed) → transcribe →
 *    diarize (→ summarize), priced like an upload of that audio (speaker turns need the aligned
 *    words of a transcription of the file itself).
 * Streams without an account (anonymous) cannot be billed per step, so they are refused follow-ups
 * at config time (session.ts).
 */
import { wavHeader } from '../../lib/audio/wav-header';
import type { Config } from '../../lib/config';
import type { ObjectStore } from '../../lib/storage';
import { transcriptPromptText } from '../../lib/transcript/prompt-text';
import type { Transcript } from '../../lib/transcript/types';
import { mediaKey, type RecipeChain, type RecipeStep } from '../../workflows/model';
import { newJobId } from '../jobs/ids';
import type { JobService } from '../jobs/service';
import type { FollowUpSteps } from './config-message';

export interface FollowUpRequest {
  streamId: string;
  tenant: string;
  accountId: string;
  model: string;
  language: string;
  steps: FollowUpSteps;
  transcript: Transcript;
  transcriptKey: string;
  /** The streamed PCM (Int16 LE, 16 kHz mono); needed for diarize. */
  recording?: Buffer;
}

/** Starts the follow-up job; resolves with its id. */
export async function startFollowUp(deps: { store: ObjectStore; jobs: JobService; config: Pick<Config, 'llm'> }, r: FollowUpRequest): Promise<string> {
  const jobId = newJobId();
  const uploadId = jobId.slice(4);
  const summarize: RecipeStep[] = r.steps.summarize ? [{ step: 'summarize', style: r.steps.summarize }] : [];
  let chain: RecipeChain;
  let key: string;
  let filename: string;
  if (r.steps.diarize) {
    if (!r.recording) throw new Error('diarize follow-up without a recording');
    key = mediaKey(uploadId, 'wav');
    filename = 'live-stream.wav';
    await deps.store.put(key, Buffer.concat([wavHeader(16_000, r.recording.length / 2), r.recording]), { contentType: 'audio/wav' });
    const language = r.language === 'auto' ? r.transcript.language : r.language;
    chain = {
      name: 'stream-follow-up',
      input: 'media',
      steps: [{ step: 'transcribe', model: r.model, language, wordTimestamps: true }, { step: 'diarize', speakers: r.steps.diarize.speakers }, ...summarize],
    };
  } else {
    const text = transcriptPromptText(r.transcript).slice(0, deps.config.llm.maxTextChars);
    key = mediaKey(uploadId, 'txt');
    filename = 'text.txt';
    await deps.store.put(key, text, { contentType: 'text/plain; charset=utf-8' });
    chain = { name: 'stream-follow-up', input: 'transcript', transcriptKey: r.transcriptKey, text: { chars: [...text].length, bytes: Buffer.byteLength(text) }, steps: summarize };
  }
  await deps.jobs.submit({ jobId, tenant: r.tenant, recipe: 'recipe', mediaKey: key, filename, chain, billing: { accountId: r.accountId } });
  return jobId;
}
