/**
 * The chat step (gpu queue): one turn of a conversation about a transcript (lib/rag/chat-turn.ts:
 * exact retrieval over the transcript's segment vectors, then the LLM answers from the retrieved
 * segments only). The request (question, session history) and the answer are stored documents.
 */
import type { ChatAnswerDocument, ChatRequestDocument } from '../lib/rag/chat-documents';
import { chatTurn } from '../lib/rag/chat-turn';
import { workerEmbedder } from '../lib/rag/embedder';
import type { TextStepSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, type TextStepIo } from './text-step';

export type ChatStepInput = TextStepIo;
export type ChatStepOutput = StoredOutput & TextStepSummary;

export function createChatActivity({ config, store, engines }: ActivityDeps) {
  return async function chat(input: ChatStepInput): Promise<ChatStepOutput> {
    return runTextStep<ChatAnswerDocument>({ store, engines }, input, async ({ input: body, llm, progress, signal }) => {
      const { doc, summary } = await chatTurn(
        { store, embedder: workerEmbedder(engines), llm, topK: config.rag.topK, minScore: config.rag.minScore, signal, progress },
        JSON.parse(body) as ChatRequestDocument,
      );
      return { doc, summary };
    });
  };
}
