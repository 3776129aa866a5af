/** The stored documents of a chat turn: what the API hands the chat step, and what the step answers. */

/** One earlier question and its answer in a session. */
export interface ChatTurn {
  question: string;
  answer: string;
}

/** uploads/<id>/source.json of a chat job (claim check: the question and history stay out of workflow history). */
export interface ChatRequestDocument {
  question: string;
  transcriptId: string;
  transcriptKey: string;
  /** The session's earlier turns, oldest first (bounded by the API, lib/rag/sessions.ts). */
  history: ChatTurn[];
}

export interface ChatSource {
  segment_order: number;
  text: string;
  score: number;
}

/** jobs/<id>/answer.json */
export interface ChatAnswerDocument {
  answer: string;
  /** Whether the transcript holds the answer (false: `answer` says it does not). */
  found: boolean;
  sources: ChatSource[];
  /** The LLM that answered, and the embedding model that retrieved. */
  model: string;
  embeddingModel: string;
  /** Whether this turn made the transcript's vectors (first use of a transcript from before the embed step). */
  vectorsMade: boolean;
}
