import type { Sql } from '../db';
import { Ledger } from '../ledger/ledger';
import { ApiKeys } from './keys';
import { Limits } from './limits';
import { ChatSessions } from '../rag/sessions';

export type { Plan, TierLimits } from './limits';

/** The database-backed services the API needs about callers. */
export function accountServices(sql: Sql) {
  return { keys: new ApiKeys(sql), ledger: new Ledger(sql), limits: new Limits(sql), chatSessions: new ChatSessions(sql) };
}
