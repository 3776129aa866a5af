/** Object-storage keys of the text steps (built-in-free: workflows and activities share them). */

/** The summarize step's result document: {"summary", "style", "model"}. */
export const summaryKey = (jobId: string) => `jobs/${jobId}/summary.json`;

/** Map-reduce intermediates of the summarize step: chunk summaries (round 0) and combined ones (rounds 1…). */
export const summarizePartsPrefix = (jobId: string) => `jobs/${jobId}/summarize/`;
export const summarizePartKey = (jobId: string, round: number, index: number) =>
  `${summarizePartsPrefix(jobId)}${round === 0 ? 'chunk' : `round${round}`}-${String(index).padStart(5, '0')}.txt`;
