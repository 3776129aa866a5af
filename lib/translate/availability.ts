/**
 * What this installation can translate right now, for the API: the LLM the workers will load and
 * the Apertium modes present, looked up at most every `ttlMs` (an operator who installs Apertium
 * sees its pairs appear without a restart). The API and the workers run from the same install
 * (scripts/start.sh); a worker that lacks an engine the API chose fails the job as not installed.
 */
import type { Config } from '../config';
import { LlmNotInstalledError, type ModelRegistry } from '../models/registry';
import { installedApertiumModes } from './apertium';
import { choosePair, supportedPairs, type Installed, type PairChoice } from './pairs';
import { seq2seqStatus, type Seq2SeqStatus } from './seq2seq';

export class TranslationAvailability {
  private cached?: { at: number; value: Promise<Installed> };

  constructor(
    private readonly config: Pick<Config, 'llm' | 'translate' | 'modelsDir'>,
    private readonly registry: Pick<ModelRegistry, 'resolveLlm'>,
    private readonly ttlMs = 30_000,
  ) {}

  installed(): Promise<Installed> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) this.cached = { at: now, value: this.lookUp() };
    return this.cached.value;
  }

  async choose(source: string, target: string): Promise<PairChoice | undefined> {
    return choosePair(source, target, await this.installed());
  }

  async pairs(): Promise<PairChoice[]> {
    return supportedPairs(await this.installed());
  }

  /** Neural MT weights found under the model cache (reported; not runnable in this version). */
  seq2seq(): Seq2SeqStatus[] {
    return seq2seqStatus(this.config.modelsDir);
  }

  private async lookUp(): Promise<Installed> {
    let llmModel: string | undefined;
    try {
      llmModel = this.registry.resolveLlm(this.config.llm.model);
    } catch (err) {
      if (!(err instanceof LlmNotInstalledError)) throw err;
    }
    return { llmModel, apertiumModes: await installedApertiumModes(this.config.translate.apertium) };
  }
}
