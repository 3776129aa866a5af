import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { ObjectStore } from '../lib/storage';
import type { Logger } from '../lib/log';
import type { ModelRegistry } from '../lib/models/registry';
import type { GpuInfo } from '../lib/gpu';
import type { ApiKeys } from '../lib/accounts/keys';
import type { Limits, Plan, TierLimits } from '../lib/accounts/limits';
import type { Ledger } from '../lib/ledger/ledger';
import type { WorkerHeartbeats } from '../lib/liveness/worker-heartbeats';
import type { ChatSessions } from '../lib/rag/sessions';

/** What the Koa app is built from; the server entrypoint (or a test) wires the real ones. */
export interface ApiDeps {
  config: Pick<Config, 'webhooks' | 'http' | 'temporal' | 'storage' | 'documents' | 'llm' | 'translate' | 'tts' | 'modelsDir' | 'enhance' | 'rag' | 'retention' | 'embed'>;
  temporal: Client;
  store: ObjectStore;
  models: ModelRegistry;
  log: Logger;
  gpu: () => Promise<GpuInfo>;
  /** Database-backed services (lib/accounts accountServices), chat sessions among them (lib/rag/sessions.ts). */
  accounts: { keys: ApiKeys; ledger: Ledger; limits: Limits; chatSessions: ChatSessions };
  tiers: Record<Plan, TierLimits>;
  /** Worker processes' own liveness reports (what /health counts per queue). */
  liveness: WorkerHeartbeats;
  /** The server's background probe of Temporal; without one, /health probes on each request. */
  temporalAvailability?: { readonly reachable: boolean; readonly error?: string };
}
