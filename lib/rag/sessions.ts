/**
 * Chat sessions (table chat_sessions, migration 5): per tenant and transcript, the turns so far,
 * bounded in turns and characters (oldest dropped first), and expired after the retention period
 * of the transcripts they are about (VOXFLOW_RETENTION_DAYS; rows are deleted as sessions are used).
 */
import crypto from 'node:crypto';
import type { Sql } from '../db';
import type { ChatTurn } from './chat-documents';

export interface SessionBounds {
  maxTurns: number;
  maxChars: number;
}

export const isSessionId = (id: string) => /^chat_[0-9a-f]{32}$/.test(id);
export const newSessionId = () => `chat_${crypto.randomUUID().replace(/-/g, '')}`;

/** The newest turns that fit the bounds (a single turn longer than maxChars is kept alone, clipped). */
export function boundTurns(turns: ChatTurn[], { maxTurns, maxChars }: SessionBounds): ChatTurn[] {
  const kept: ChatTurn[] = [];
  let chars = 0;
  for (let i = turns.length - 1; i >= 0 && kept.length < maxTurns; i--) {
    const t = turns[i];
    const size = t.question.length + t.answer.length;
    if (chars + size > maxChars) {
      if (kept.length === 0) kept.push({ question: t.question.slice(0, maxChars), answer: t.answer.slice(0, Math.max(0, maxChars - t.question.length)) });
      break;
    }
    chars += size;
    kept.push(t);
  }
  return kept.reverse();
}

/** How long a session lives and how much of it is kept (config: VOXFLOW_CHAT_SESSION_*, VOXFLOW_RETENTION_DAYS). */
export interface SessionPolicy extends SessionBounds {
  /** Days a session lives after its last turn; 0: forever. */
  retentionDays: number;
}

export class ChatSessions {
  constructor(private readonly sql: Sql) {}

  /** The session's turns, or undefined when there is no such session of this tenant on this transcript (or it expired). */
  async turns(policy: SessionPolicy, id: string, tenant: string, transcriptId: string, now = new Date()): Promise<ChatTurn[] | undefined> {
    if (!isSessionId(id)) return undefined;
    const row = await this.sql.get<{ turns: string; updated_at: string }>(
      `SELECT turns, updated_at FROM chat_sessions WHERE id = ? AND tenant = ? AND transcript_id = ?`,
      [id, tenant, transcriptId],
    );
    if (!row || expired(policy, row.updated_at, now)) return undefined;
    return JSON.parse(row.turns) as ChatTurn[];
  }

  /**
   * Appends a turn (creating the session on its first one) and drops expired sessions. A session id
   * belongs to one tenant and transcript: a row of another is never touched.
   */
  async append(policy: SessionPolicy, id: string, tenant: string, transcriptId: string, turn: ChatTurn, now = new Date()): Promise<ChatTurn[]> {
    return this.sql.tx(async (t) => {
      const row = await t.get<{ turns: string; tenant: string; transcript_id: string }>(`SELECT turns, tenant, transcript_id FROM chat_sessions WHERE id = ?`, [id]);
      if (row && (row.tenant !== tenant || row.transcript_id !== transcriptId)) throw new Error('chat session belongs to another tenant or transcript');
      const turns = boundTurns([...(row ? (JSON.parse(row.turns) as ChatTurn[]) : []), turn], policy);
      const at = now.toISOString();
      if (row) await t.run(`UPDATE chat_sessions SET turns = ?, updated_at = ? WHERE id = ?`, [JSON.stringify(turns), at, id]);
      else await t.run(`INSERT INTO chat_sessions (id, tenant, transcript_id, turns, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, [id, tenant, transcriptId, JSON.stringify(turns), at, at]);
      if (policy.retentionDays > 0) await t.run(`DELETE FROM chat_sessions WHERE updated_at < ?`, [new Date(now.getTime() - policy.retentionDays * 86_400_000).toISOString()]);
      return turns;
    });
  }
}

const expired = (policy: SessionPolicy, updatedAt: string, now: Date) => policy.retentionDays > 0 && Date.parse(updatedAt) < now.getTime() - policy.retentionDays * 86_400_000;
