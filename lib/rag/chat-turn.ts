/**
 * One chat turn over a stored transcript (activities/chat.ts runs it on the gpu worker; bench/chat.ts
 * measures it): the question embedded (a follow-up also with the previous question,
 * chat-prompt.ts retrievalQueries), every segment scored exactly against the transcript's vectors
 * (the embed step's, or made now on first use), the best `topK` that clear `minScore` (and the
 * segments either side of the best) handed to the LLM, which answers from them only (JSON:
 * cited, answer). No segment close enough: the answer is that the transcript does not hold it,
 * without asking the model.
 */
import { generateJson } from '../llm/json-schema';
import type { LlmModel } from '../llm/types';
import type { ObjectStore } from '../storage';
import type { TextStepSummary } from '../../workflows/model';
import type { ChatAnswerDocument, ChatRequestDocument } from './chat-documents';
import { CHAT_ANSWER_SCHEMA, CHAT_SYSTEM, NOT_IN_TRANSCRIPT, chatPrompt, interpretAnswer, retrievalQueries, type ChatModelAnswer, type Passage } from './chat-prompt';
import type { RagEmbedder } from './embedder';
import { vectorsKey } from './keys';
import { scoreRows, topK } from './retrieval';
import { readTranscript, vectorsForTranscript } from './transcript-vectors';

/** Output tokens of an answer: a sentence or two and a few passage numbers. */
export const ANSWER_TOKENS = 200;
/** Hits whose neighbours (the segment before and after) are shown to the model too: the best one (with the best two, the extra passage misled the 0.5B on the planted call). */
export const CONTEXT_HITS = 1;

export interface ChatTurnDeps {
  store: ObjectStore;
  embedder: () => Promise<RagEmbedder>;
  llm: () => Promise<LlmModel>;
  topK: number;
  minScore: number;
  signal?: AbortSignal;
  progress?: (p: number) => void;
}

/** Where the time of a turn went (bench/chat.ts). */
export interface ChatTurnTimings {
  vectorsMs: number;
  retrieveMs: number;
  llmMs: number;
}

export async function chatTurn(deps: ChatTurnDeps, req: ChatRequestDocument): Promise<{ doc: ChatAnswerDocument; summary: TextStepSummary; timings: ChatTurnTimings }> {
  const progress = deps.progress ?? (() => undefined);
  const t0 = Date.now();
  const transcript = await readTranscript(deps.store, req.transcriptKey);
  const vectors = await vectorsForTranscript({ store: deps.store, embedder: deps.embedder, onProgress: (d, t) => progress((0.4 * d) / Math.max(1, t)) }, transcript, vectorsKey(req.transcriptId));
  const t1 = Date.now();
  const emb = await deps.embedder();
  const { vectors: queries } = await emb.embed(retrievalQueries(req.question, req.history));
  const scores = scoreRows(vectors.matrix, vectors.header.dimensions, queries);
  progress(0.5);
  const hits = topK(scores, deps.topK).filter((h) => h.score >= deps.minScore);
  // The best hits' neighbouring segments go to the model too, as context: the answer to a follow-up
  // often sits in the sentence after the one the question matches ("... signed on Friday." "Maria will sign it.").
  const rowOf = new Map(vectors.header.units.map((u, row) => [u.order, row]));
  const rows = new Set(hits.map((h) => h.row));
  for (const h of hits.slice(0, CONTEXT_HITS)) {
    const order = vectors.header.units[h.row].order;
    for (const o of [order - 1, order + 1]) if (rowOf.has(o)) rows.add(rowOf.get(o)!);
  }
  const passages: Passage[] = (hits.length ? [...rows] : [])
    .map((row) => {
      const u = vectors.header.units[row];
      const seg = transcript.segments[u.order];
      return { order: u.order, start: u.start, speaker: seg?.speaker, text: seg?.text.trim() ?? '', score: scores[row] };
    })
    .sort((a, b) => a.order - b.order);
  const t2 = Date.now();
  const model = await deps.llm();
  const base = { model: model.id, embeddingModel: emb.id, vectorsMade: vectors.made };
  if (passages.length === 0) {
    return {
      doc: { ...base, answer: NOT_IN_TRANSCRIPT, found: false, sources: [] },
      summary: { model: model.id, style: 'chat', chunks: 0, promptTokens: 0, outputTokens: 0 },
      timings: { vectorsMs: t1 - t0, retrieveMs: t2 - t1, llmMs: 0 },
    };
  }
  const t3 = Date.now();
  const { value, result } = await generateJson<ChatModelAnswer>(
    model,
    { system: CHAT_SYSTEM, prompt: chatPrompt(passages, req.history, req.question), maxTokens: ANSWER_TOKENS },
    CHAT_ANSWER_SCHEMA,
    { signal: deps.signal, onProgress: (n) => progress(0.5 + Math.min(0.45, n / ANSWER_TOKENS)) },
  );
  const turn = interpretAnswer(value, passages, (p) => p.text);
  return {
    doc: { ...base, ...turn },
    summary: { model: model.id, style: 'chat', chunks: passages.length, promptTokens: result.promptTokens, outputTokens: result.outputTokens },
    timings: { vectorsMs: t1 - t0, retrieveMs: t2 - t1, llmMs: Date.now() - t3 },
  };
}
