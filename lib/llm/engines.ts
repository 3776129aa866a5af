/**
 * The worker process's LLM: one model instance, loaded on first use (a worker that never summarizes
 * never pays its memory), kept for the life of the process, and reloaded only if its thread died.
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import type { ModelRegistry } from '../models/registry';
import { LlmThreadModel } from './model';
import type { LlmModel } from './types';

export class LlmEngines {
  private loading?: Promise<LlmThreadModel>;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly config: Pick<Config, 'llm'>,
    private readonly log: Logger,
  ) {}

  /** The model text steps run on; rejects with LlmNotInstalledError when none is installed. */
  async model(): Promise<LlmModel> {
    const current = await this.loading?.catch(() => undefined);
    if (current?.alive) return current;
    const id = this.registry.resolveLlm(this.config.llm.model);
    const { model: _unused, ...settings } = this.config.llm;
    this.loading = LlmThreadModel.load(id, `${this.registry.llmDir(id)}/model.gguf`, settings, this.log);
    this.loading.catch(() => (this.loading = undefined)); // a failed load is retried by the next request
    return this.loading;
  }

  async release(): Promise<void> {
    const m = await this.loading?.catch(() => undefined);
    this.loading = undefined;
    await m?.release();
  }
}
