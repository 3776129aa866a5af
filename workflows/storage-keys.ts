/** Object-storage keys and folders of one job (built-in-free: workflows and activities share them). */

/** Everything a job's steps write: outputs, parts, speaker turns. */
export const jobPrefix = (jobId: string) => `jobs/${jobId}/`;

/** The transcribe step's resumable parts and its finished-result record. */
export const transcribePartsPrefix = (jobId: string) => `jobs/${jobId}/transcribe/`;
export const transcribePartKey = (jobId: string, i: number) => `${transcribePartsPrefix(jobId)}part-${String(i).padStart(5, '0')}.json`;
export const transcribeResultKey = (jobId: string) => `${transcribePartsPrefix(jobId)}result.json`;

/** The job's own upload folder (`uploads/<job>/`) when the media key lies in it, else undefined. */
export function mediaPrefix(mediaKey: string, jobId: string): string | undefined {
  const folder = `uploads/${jobId}/`;
  return mediaKey.startsWith(folder) && !mediaKey.slice(folder.length).includes('/') ? folder : undefined;
}
