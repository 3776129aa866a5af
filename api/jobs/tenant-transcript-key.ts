/**
 * Where a tenant's own finished transcript is stored, without reading it (chat hands the key to the
 * worker). The same answers as transcript-source.ts: 404 for another tenant's, a non-transcription
 * or a deleted one; 400 while it is not finished.
 */
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../errors';
import { isJobId } from './ids';
import type { JobService } from './service';

export async function tenantTranscriptKey(deps: Pick<ApiDeps, 'store'>, jobs: JobService, id: string, tenant: string): Promise<string> {
  if (!isJobId(id)) throw notFound('Transcript not found.');
  const view = await jobs.view(id, tenant);
  if (view.recipe !== 'transcribe') throw notFound('Transcript not found.');
  if (!view.result) throw badRequest(`The transcription is ${view.status}; there is no transcript to work on yet.`, { code: 'transcript_not_ready' });
  const out = view.result.outputs.find((o) => o.kind === 'transcript');
  if (!out || !(await deps.store.stat(out.key))) throw notFound('Transcript not found (deleted).');
  return out.key;
}
