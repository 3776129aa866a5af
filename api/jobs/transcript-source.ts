/**
 * A tenant's own stored transcript, for the routes that work on one (analyze, generate, chat):
 * another tenant's, a non-transcription job, an unfinished or deleted one are each answered plainly.
 */
import { transcriptPromptText } from '../../lib/transcript/prompt-text';
import type { Transcript } from '../../lib/transcript/types';
import type { ApiDeps } from '../deps';
import { badRequest, notFound, payloadTooLarge } from '../errors';
import { isJobId } from './ids';
import { loadTranscript } from './send-output';
import type { JobService } from './service';

export async function tenantTranscript(deps: Pick<ApiDeps, 'store'>, jobs: JobService, id: string, tenant: string): Promise<Transcript> {
  if (!isJobId(id)) throw notFound('Transcript not found.');
  // view() answers 404 for another tenant's job, so whether it exists is not revealed.
  const view = await jobs.view(id, tenant);
  if (view.recipe !== 'transcribe') throw notFound('Transcript not found.');
  if (!view.result) throw badRequest(`The transcription is ${view.status}; there is no transcript to work on yet.`, { code: 'transcript_not_ready' });
  const out = view.result.outputs.find((o) => o.kind === 'transcript');
  if (!out || !(await deps.store.stat(out.key))) throw notFound('Transcript not found (deleted).');
  return loadTranscript(deps.store, view.result);
}

/**
 * The input of a text step on a stored transcript: the transcript rendered one timed, attributed
 * segment per line (lib/transcript/prompt-text.ts), measured and bounded like a `text` body.
 */
export async function transcriptTextInput(
  deps: Pick<ApiDeps, 'store'>,
  jobs: JobService,
  id: string,
  tenant: string,
  maxChars: number,
): Promise<{ text: string; chars: number; bytes: number; from: { kind: 'transcript'; transcriptId: string } }> {
  const text = transcriptPromptText(await tenantTranscript(deps, jobs, id, tenant));
  if (!text.trim()) throw badRequest('This transcript has no speech to work on.', { code: 'empty_transcript' });
  const chars = [...text].length;
  if (chars > maxChars) {
    throw payloadTooLarge(`This transcript is ${chars.toLocaleString('en-US')} characters, over the ${maxChars.toLocaleString('en-US')} the text steps take.`, {
      code: 'text_too_long',
      limit: maxChars,
    });
  }
  return { text, chars, bytes: Buffer.byteLength(text), from: { kind: 'transcript', transcriptId: id } };
}
