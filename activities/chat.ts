/**
 * The chat step (gpu queue): one turn of a conversation about a transcript. Embeds the question
 * (a follow-up also with the previous question, lib/rag/chat-prompt.ts retrievalQueries), scores
 * every segment of the transcript exactly (its vectors from the embed step, or made now on first
 * use), hands the best `topK` segments that clear `minScore` to the LLM, which answers from them
 * only (JSON: answer, found, cited). No segment close enough: the answer is that the transcript
 * does not hold it, without asking the model. The answer document goes to storage.
 */
import { generateJson } from '../lib/llm/json-schema';
import type { ChatAnswerDocument, ChatRequestDocument } from '../lib/rag/chat-documents';
import { CHAT_ANSWER_SCHEMA, CHAT_SYSTEM, NOT_IN_TRANSCRIPT, chatPrompt, interpretAnswer, retrievalQueries, type ChatModelAnswer, type Passage } from '../lib/rag/chat-prompt';
import { workerEmbedder } from '../lib/rag/embedder';
import { vectorsKey } from '../lib/rag/keys';
import { scoreRows, topK } from '../lib/rag/retrieval';
import { readTranscript, vectorsForTranscript } from '../lib/rag/transcript-vectors';
import { embeddingUnits } from '../lib/rag/units';
import type { TextStepSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, type TextStepIo } from './text-step';

export type ChatStepInput = TextStepIo;
export type ChatStepOutput = StoredOutput & TextStepSummary;

/** Output tokens of an answer: a sentence or two and a few passage numbers. */
const ANSWER_TOKENS = 200;

export function createChatActivity({ config, store, engines }: ActivityDeps) {
  return async function chat(input: ChatStepInput): Promise<ChatStepOutput> {
    return runTextStep<ChatAnswerDocument>({ store, engines }, input, async ({ input: body, llm, progress, signal }) => {
      const req = JSON.parse(body) as ChatRequestDocument;
      const embedder = workerEmbedder(engines);
      const transcript = await readTranscript(store, req.transcriptKey);
      const vectors = await vectorsForTranscript({ store, embedder, onProgress: (d, t) => progress((0.4 * d) / Math.max(1, t)) }, transcript, vectorsKey(req.transcriptId));
      const emb = await embedder();
      const { vectors: queries } = await emb.embed(retrievalQueries(req.question, req.history));
      const scores = scoreRows(vectors.matrix, vectors.header.dimensions, queries);
      progress(0.5);
      const units = new Map(embeddingUnits(transcript.segments).map((u) => [u.order, u]));
      const passages: Passage[] = topK(scores, config.rag.topK)
        .filter((h) => h.score >= config.rag.minScore)
        .map((h) => {
          const u = vectors.header.units[h.row];
          return { order: u.order, start: u.start, speaker: transcript.segments[u.order]?.speaker, text: units.get(u.order)?.text ?? transcript.segments[u.order]?.text ?? '', score: h.score };
        })
        .sort((a, b) => a.order - b.order);
      const model = await llm();
      const base = { model: model.id, embeddingModel: emb.id, vectorsMade: vectors.made };
      if (passages.length === 0) {
        return {
          doc: { ...base, answer: NOT_IN_TRANSCRIPT, found: false, sources: [] },
          summary: { model: model.id, style: 'chat', chunks: 0, promptTokens: 0, outputTokens: 0 },
        };
      }
      const { value, result } = await generateJson<ChatModelAnswer>(
        model,
        { system: CHAT_SYSTEM, prompt: chatPrompt(passages, req.history, req.question), maxTokens: ANSWER_TOKENS },
        CHAT_ANSWER_SCHEMA,
        { signal, onProgress: (n) => progress(0.5 + Math.min(0.45, n / ANSWER_TOKENS)) },
      );
      const turn = interpretAnswer(value, passages, (p) => transcript.segments[p.order]?.text.trim() ?? p.text);
      return {
        doc: { ...base, ...turn },
        summary: { model: model.id, style: 'chat', chunks: passages.length, promptTokens: result.promptTokens, outputTokens: result.outputTokens },
      };
    });
  };
}
