/**
 * The worker process's inference models: each loaded once, on first use, and kept (onnxruntime
 * sessions are expensive to create and leak memory when created repeatedly).
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import { ModelNotInstalledError, type ModelRegistry } from '../models/registry';
import { SileroVad } from '../vad/silero';
import { WhisperModel } from '../whisper';
import type { InferenceEngines, SpeechRecognizer } from './types';

export class ModelEngines implements InferenceEngines {
  private readonly whisper = new Map<string, Promise<WhisperModel>>();
  private silero?: Promise<SileroVad>;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly config: Pick<Config, 'inference'>,
    private readonly log: Logger,
  ) {}

  recognizer(modelId: string): Promise<SpeechRecognizer> {
    if (!this.registry.isInstalled(modelId)) {
      return Promise.reject(new ModelNotInstalledError(modelId, this.registry.installedWhisper()));
    }
    let m = this.whisper.get(modelId);
    if (!m) {
      m = this.loadWhisper(modelId);
      this.whisper.set(modelId, m);
      m.catch(() => this.whisper.delete(modelId)); // a failed load may be retried
    }
    return m;
  }

  vad(): Promise<SileroVad> {
    return (this.silero ??= SileroVad.load(`${this.registry.vadDir()}/silero_vad.onnx`));
  }

  async release(): Promise<void> {
    for (const m of this.whisper.values()) await (await m.catch(() => undefined))?.release();
    await (await this.silero?.catch(() => undefined))?.release();
  }

  private async loadWhisper(id: string): Promise<WhisperModel> {
    const { device, threads, whisperDecoder } = this.config.inference;
    const opts = { intraOpNumThreads: threads || undefined, decoder: whisperDecoder };
    const started = Date.now();
    if (device !== 'cpu') {
      try {
        const m = await WhisperModel.load(this.registry.whisperDir(id), { ...opts, executionProviders: ['cuda', 'cpu'] });
        this.log.info({ model: id, device: 'cuda', ms: Date.now() - started }, 'whisper loaded');
        return m;
      } catch (err) {
        if (device === 'cuda') throw err;
        this.log.info({ model: id, reason: (err as Error).message }, 'CUDA execution unavailable; using CPU');
      }
    }
    const m = await WhisperModel.load(this.registry.whisperDir(id), { ...opts, executionProviders: ['cpu'] });
    this.log.info({ model: id, device: 'cpu', ms: Date.now() - started }, 'whisper loaded');
    return m;
  }
}
