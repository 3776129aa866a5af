import Router from '@koa/router';
import type { ChatAnswerDocument, ChatRequestDocument } from '../../lib/rag/chat-documents';
import { isSessionId, newSessionId, type SessionPolicy } from '../../lib/rag/sessions';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import type { JobService } from '../jobs/service';
import { acceptedBody } from '../jobs/submit-media';
import { submitTextJob } from '../jobs/submit-text';
import { readTextDocument } from '../jobs/text-response';
import { tenantTranscriptKey } from '../jobs/tenant-transcript-key';
import { requireAccount } from '../middleware/auth';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';
import { charsWithin } from '../params/text-input';

/**
 * POST /api/v1/transcripts/:id/chat/: JSON `question` (required) and `session_id` (optional) →
 * {"answer", "sources": [{"segment_order", "text", "score"}], "session_id", "model"}. The answer
 * comes from the caller's own transcript only (RAG: activities/chat.ts); `session_id` continues a
 * conversation (a new one when absent), so follow-up questions resolve against the earlier turns.
 * 404 for another tenant's transcript or session; one text-step price per question (pricing.ts).
 */
export function chatRoutes(deps: ApiDeps, jobs: JobService): Router {
  const router = new Router();
  const sessions = deps.accounts.chatSessions;
  const policy: SessionPolicy = { ...deps.config.rag.session, retentionDays: deps.config.retention.days };

  mount(router, SPECS.chat, requireAccount(), async (ctx, input) => {
    const tenant: string = ctx.state.tenant;
    const transcriptId = input.params.id;
    let sessionId = '';
    let question = '';
    const { jobId, result } = await submitTextJob(ctx, deps, jobs, 'chat', async (raw) => {
      const body = input.body(raw);
      question = body.question;
      const asked = { chars: charsWithin(question, deps.config.rag.maxQuestionChars, 'question') };
      const given = body.session_id;
      // The transcript first: another tenant's transcript is 404 whatever the session says.
      const transcriptKey = await tenantTranscriptKey(deps, jobs, transcriptId, tenant);
      let history: ChatRequestDocument['history'] = [];
      if (given) {
        const turns = isSessionId(given) ? await sessions.turns(policy, given, tenant, transcriptId) : undefined;
        if (!turns) throw notFound('Chat session not found (unknown, expired, or about another transcript).');
        history = turns;
        sessionId = given;
      } else sessionId = newSessionId();
      const doc: ChatRequestDocument = { question, transcriptId, transcriptKey, history };
      return {
        text: JSON.stringify(doc),
        contentType: 'application/json',
        params: { chat: { chars: asked.chars, bytes: Buffer.byteLength(question), transcriptId, sessionId } },
      };
    });
    // An asynchronous turn (202) is not added to the session: its answer is read from the job.
    if (!result) return acceptedBody(ctx, deps, jobs, jobId, 'chat');
    const doc = await readTextDocument<ChatAnswerDocument>(deps, result, 'answer');
    await sessions.append(policy, sessionId, tenant, transcriptId, { question, answer: doc.answer });
    ctx.set('X-Job-Id', jobId);
    ctx.set('X-Model', doc.model);
    ctx.body = { answer: doc.answer, sources: doc.sources, session_id: sessionId, model: doc.model };
  });
  return router;
}
