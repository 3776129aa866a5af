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

/** What the Koa app is built from; the server entrypoint (or a test) wires the real ones. */
export interface ApiDeps {
  config: Pick<Config, 'http' | 'temporal' | 'storage' | 'documents' | 'llm' | 'translate' | 'tts' | 'modelsDir'>;
  temporal: Client;
  store: ObjectStore;
  models: ModelRegistry;
  log: Logger;
  gpu: () => Promise<GpuInfo>;
  accounts: { keys: ApiKeys; ledger: Ledger; limits: Limits };
  tiers: Record<Plan, TierLimits>;
  /** Worker processes' own liveness reports (what /health counts per queue). */
  liveness: WorkerHeartbeats;
  /** The server's background probe of Temporal; without one, /health probes on each request. */
  temporalAvailability?: { readonly reachable: boolean; readonly error?: string };
}
