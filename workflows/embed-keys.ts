/** Object-storage key of the embed step's result (built-in-free: workflows and activities share it). */

/** {"model", "dimensions", "truncated": [bool], "embeddings": [[float]]}: one JSON document per request. */
export const embeddingsKey = (jobId: string) => `jobs/${jobId}/embeddings.json`;
