import type { Config } from '../lib/config';
import type { ObjectStore } from '../lib/storage';
import type { Logger } from '../lib/log';
import type { InferenceEngines } from '../lib/asr/types';
import type { Ledger } from '../lib/ledger/ledger';
import type { Limits } from '../lib/accounts/limits';

/** What activity factories receive; nothing inside an activity reads env or globals. */
export interface ActivityDeps {
  config: Pick<Config, 'webhooks' | 'media' | 'llm' | 'translate' | 'modelsDir' | 'tts' | 'rag'>;
  store: ObjectStore;
  log: Logger;
  /** Inference models, loaded once per worker process; only the gpu queue's activities use them. */
  engines?: InferenceEngines;
  /** The credit ledger; only the control queue's activities use it. */
  ledger?: Ledger;
  limits?: Limits;
}
