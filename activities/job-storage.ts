/**
 * Storage clean-up steps the workflows run (control queue, idempotent: deleting what is already
 * gone is a no-op, so Temporal may retry them freely).
 */
import { mediaPrefix, jobPrefix, transcribePartsPrefix } from '../workflows/storage-keys';
import type { ActivityDeps } from './deps';

export function createJobStorageActivities({ store, log }: ActivityDeps) {
  return {
    /**
     * The transcribe step keeps its parts (and its finished-result record) until the workflow has
     * recorded the step's result: a retried attempt may be handed any older checkpoint and must
     * find every part it names. Called once the result is in the workflow's history.
     */
    async deleteTranscribeParts(input: { jobId: string }): Promise<{ deleted: number }> {
      return { deleted: await store.deletePrefix(transcribePartsPrefix(input.jobId)) };
    },

    /**
     * A job that failed, was rejected (probe refused the media, too long, no credits) or was
     * cancelled leaves nothing behind: its upload and whatever its steps wrote.
     */
    async discardJobObjects(input: { jobId: string; mediaKey: string }): Promise<{ deleted: number }> {
      let deleted = await store.deletePrefix(jobPrefix(input.jobId));
      const uploads = mediaPrefix(input.mediaKey, input.jobId);
      if (uploads) deleted += await store.deletePrefix(uploads);
      else {
        await store.delete(input.mediaKey);
        deleted += 1;
      }
      log.info({ jobId: input.jobId, deleted }, 'discarded the objects of a job that did not succeed');
      return { deleted };
    },
  };
}
