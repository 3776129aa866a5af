/** Object-storage keys of the text steps (built-in-free: workflows and activities share them). */

/** The summarize step's result document: {"summary", "style", "model"}. */
export const summaryKey = (jobId: string) => `jobs/${jobId}/summary.json`;

/** Map-reduce intermediates of the summarize step: chunk summaries (round 0) and combined ones (rounds 1…). */
export const summarizePartsPrefix = (jobId: string) => `jobs/${jobId}/summarize/`;
export const summarizePartKey = (jobId: string, round: number, index: number) =>
  `${summarizePartsPrefix(jobId)}${round === 0 ? 'chunk' : `round${round}`}-${String(index).padStart(5, '0')}.txt`;

/** Result documents of the other text steps (analyze, generate, translate): one JSON object each. */
export const textResultKey = (jobId: string, step: 'analyze' | 'generate' | 'translate') => `jobs/${jobId}/${step}.json`;

/** Intermediates a text step keeps between retries (chunk results), under one prefix per job and step. */
export const textPartsPrefix = (jobId: string, step: 'analyze' | 'generate' | 'translate') => `jobs/${jobId}/${step}/`;
export const textPartKey = (jobId: string, step: 'analyze' | 'generate' | 'translate', index: number) => `${textPartsPrefix(jobId, step)}part-${String(index).padStart(5, '0')}.json`;
