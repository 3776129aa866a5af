import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { ObjectStore } from '../lib/storage';
import type { Logger } from '../lib/log';
import type { ModelRegistry } from '../lib/models/registry';
import type { GpuInfo } from '../lib/gpu';
import type { ApiKeys } from '../lib/accounts/keys';
import type { Limits, Plan, TierLimits } from '../lib/accounts/limits';
import type { Ledger } from '../lib/ledger/ledger';

/** What the Koa app is built from; the server entrypoint (or a test) wires the real ones. */
export interface ApiDeps {
  config: Pick<Config, 'http' | 'temporal' | 'storage' | 'documents'>;
  temporal: Client;
  store: ObjectStore;
  models: ModelRegistry;
  log: Logger;
  gpu: () => Promise<GpuInfo>;
  accounts: { keys: ApiKeys; ledger: Ledger; limits: Limits };
  tiers: Record<Plan, TierLimits>;
}
