/** The chat turn's pure parts: prompt, retrieval queries, answer interpretation, session bounds and storage. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../lib/db';
import { NOT_IN_TRANSCRIPT, chatPrompt, contentWords, interpretAnswer, retrievalQueries, type Passage } from '../../lib/rag/chat-prompt';
import { ChatSessions, boundTurns, isSessionId, newSessionId } from '../../lib/rag/sessions';

const passages: Passage[] = [
  { order: 3, start: 65, speaker: 'Speaker 1', text: 'The lease will be signed on Friday.', score: 0.61 },
  { order: 7, start: 130, text: 'Maria will sign it.', score: 0.72 },
];

describe('chat prompt', () => {
  it('numbers the passages with their speakers, shows the last turns only, then the question', () => {
    const history = [1, 2, 3].map((i) => ({ question: `q${i}`, answer: `a${i}` }));
    const p = chatPrompt(passages, history, 'and who will do it?');
    expect(p).toContain('[1] Speaker 1: The lease will be signed on Friday.');
    expect(p).toContain('[2] Maria will sign it.');
    expect(p).not.toContain('q1');
    expect(p.indexOf('User: q2')).toBeLessThan(p.indexOf('User: q3'));
    expect(p.indexOf('Assistant: a3')).toBeLessThan(p.indexOf('Question: and who will do it?'));
    expect(chatPrompt(passages, [], 'x')).not.toContain('Conversation so far');
  });

  it('a follow-up is searched alone and with the previous question', () => {
    expect(retrievalQueries('When is it?', [])).toEqual(['When is it?']);
    expect(retrievalQueries(' and who  will do it? ', [{ question: 'When will the lease be signed?', answer: 'Friday' }])).toEqual([
      'and who will do it?',
      'When will the lease be signed? and who will do it?',
    ]);
  });
});

describe('interpretAnswer', () => {
  const text = (p: Passage) => `segment ${p.order}`;
  it('sources are the passages holding the answer’s content words, best score first', () => {
    expect(interpretAnswer({ answer: 'Maria, on Friday.', cited: [2] }, passages, text)).toEqual({
      answer: 'Maria, on Friday.',
      found: true,
      sources: [
        { segment_order: 7, text: 'segment 7', score: 0.72 },
        { segment_order: 3, text: 'segment 3', score: 0.61 },
      ],
    });
    // The model cited passage 2, but only passage 1 says Friday.
    expect(interpretAnswer({ answer: 'On Friday.', cited: [2] }, passages, text).sources.map((s) => s.segment_order)).toEqual([3]);
    expect(interpretAnswer({ answer: 'Maria', cited: [1, 2] }, passages, text).sources.map((s) => s.segment_order)).toEqual([7]);
  });

  it('an answer in other words: the valid citations are the sources, else every retrieved passage', () => {
    expect(interpretAnswer({ answer: 'In five days.', cited: [1, 1, 9, 0] }, passages, text).sources.map((s) => s.segment_order)).toEqual([3]);
    expect(interpretAnswer({ answer: 'In five days.', cited: [5] }, passages, text).sources.map((s) => s.segment_order)).toEqual([7, 3]);
  });

  it('content words skip short words and stopwords', () => {
    expect([...contentWords('And who will sign it? Maria, on Friday: 12 chairs.')]).toEqual(['sign', 'maria', 'friday', 'chairs']);
  });

  it('the instructed absent reply, an empty answer, or an answer saying it is not there: said plainly, without sources', () => {
    for (const m of [
      { answer: 'not in the transcript', cited: [] },
      { answer: 'Not in the transcript.', cited: [1] },
      { answer: '  ', cited: [1] },
      { answer: 'The budget is not mentioned in the passages.', cited: [1] },
      { answer: 'The transcript does not say.', cited: [] },
    ]) {
      expect(interpretAnswer(m, passages, text)).toEqual({ answer: NOT_IN_TRANSCRIPT, found: false, sources: [] });
    }
  });
});

describe('chat sessions', () => {
  it('boundTurns keeps the newest turns within the turn and character bounds', () => {
    const turns = Array.from({ length: 10 }, (_, i) => ({ question: `question ${i}`, answer: 'x'.repeat(10) }));
    expect(boundTurns(turns, { maxTurns: 3, maxChars: 10_000 }).map((t) => t.question)).toEqual(['question 7', 'question 8', 'question 9']);
    // Each turn is 20 chars: 50 chars hold two.
    expect(boundTurns(turns, { maxTurns: 100, maxChars: 50 }).map((t) => t.question)).toEqual(['question 8', 'question 9']);
    const huge = boundTurns([{ question: 'q'.repeat(30), answer: 'a'.repeat(30) }], { maxTurns: 5, maxChars: 40 });
    expect(huge[0].question.length + huge[0].answer.length).toBe(40);
  });

  it('stores turns per tenant and transcript, bounded, and expires idle sessions after the retention days', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rag-sessions-'));
    const sql = await openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
    try {
      const sessions = new ChatSessions(sql);
      const policy = { maxTurns: 2, maxChars: 1000, retentionDays: 30 };
      const id = newSessionId();
      expect(isSessionId(id)).toBe(true);
      expect(isSessionId('chat_123')).toBe(false);
      const t0 = new Date('2026-01-01T00:00:00Z');
      expect(await sessions.turns(policy, id, 'ten-a', 'job_1', t0)).toBeUndefined();
      for (const i of [1, 2, 3]) await sessions.append(policy, id, 'ten-a', 'job_1', { question: `q${i}`, answer: `a${i}` }, t0);
      expect(await sessions.turns(policy, id, 'ten-a', 'job_1', t0)).toEqual([{ question: 'q2', answer: 'a2' }, { question: 'q3', answer: 'a3' }]);
      // Another tenant, or another transcript, does not see it and cannot write to it.
      expect(await sessions.turns(policy, id, 'ten-b', 'job_1', t0)).toBeUndefined();
      expect(await sessions.turns(policy, id, 'ten-a', 'job_2', t0)).toBeUndefined();
      await expect(sessions.append(policy, id, 'ten-b', 'job_1', { question: 'x', answer: 'y' }, t0)).rejects.toThrow(/another tenant/);
      // 31 days idle: expired for readers, and deleted by the next write of any session.
      const later = new Date(t0.getTime() + 31 * 86_400_000);
      expect(await sessions.turns(policy, id, 'ten-a', 'job_1', later)).toBeUndefined();
      expect(await sessions.turns({ ...policy, retentionDays: 0 }, id, 'ten-a', 'job_1', later)).toHaveLength(2);
      await sessions.append(policy, newSessionId(), 'ten-c', 'job_3', { question: 'q', answer: 'a' }, later);
      expect(await sql.get(`SELECT id FROM chat_sessions WHERE id = ?`, [id])).toBeUndefined();
    } finally {
      await sql.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
