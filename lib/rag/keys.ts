/** Where RAG keeps its objects. Built-in-free: workflows use these keys. */
import { outputKey } from '../../workflows/model';

/** A transcript's vectors sit next to it under its job's folder, so deleting or expiring the transcript deletes them. */
export const vectorsKey = (transcriptId: string) => outputKey(transcriptId, 'segment-vectors.bin');
export const transcriptKeyOf = (transcriptId: string) => outputKey(transcriptId, 'transcript.json');
export const chatAnswerKey = (jobId: string) => outputKey(jobId, 'answer.json');
export const searchResultKey = (jobId: string) => outputKey(jobId, 'search.json');
