/**
 * The worker process's inference models: each loaded once, on first use, and kept (onnxruntime
 * sessions are expensive to create and leak memory when created repeatedly).
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import { loadOnDevice } from '../onnx/on-device';
import { EmbeddingModelNotInstalledError, ModelNotInstalledError, SpeakerModelNotInstalledError, type ModelRegistry } from '../models/registry';
import type { TextEmbedder } from '../embeddings/embedder';
import { OnnxTextEmbedder } from '../embeddings/minilm';
import { Diarizer } from '../diarization/diarizer';
import { SpeakerEmbedder } from '../diarization/embedder';
import { SileroVad } from '../vad/silero';
import { WhisperModel } from '../whisper';
import type { InferenceEngines, SpeechRecognizer } from './types';
import { LlmEngines } from '../llm/engines';
import type { LlmModel } from '../llm/types';
import { PiperVoice } from '../tts/piper';
import { loadDenoiser } from '../denoise/load';
import type { DenoiserModel } from '../denoise/types';

export class ModelEngines implements InferenceEngines {
  private readonly whisper = new Map<string, Promise<WhisperModel>>();
  private silero?: Promise<SileroVad>;
  private speaker?: Promise<SpeakerEmbedder>;
  private textEmbedder?: Promise<OnnxTextEmbedder>;
  private readonly llms: LlmEngines;
  private readonly voices = new Map<string, Promise<PiperVoice>>();
  private readonly denoisers = new Map<string, Promise<DenoiserModel>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly config: Pick<Config, 'inference' | 'llm'>,
    private readonly log: Logger,
  ) {
    this.llms = new LlmEngines(registry, config, log);
  }

  llm(): Promise<LlmModel> {
    return this.llms.model();
  }

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

  async diarizer(): Promise<Diarizer> {
    if (!this.registry.speakerModelInstalled()) throw new SpeakerModelNotInstalledError();
    if (!this.speaker) {
      this.speaker = this.onDevice('CAM++', (executionProviders) =>
        SpeakerEmbedder.load(this.registry.speakerDir(), { executionProviders, intraOpNumThreads: this.config.inference.threads || undefined, memoryArena: this.config.inference.memoryArena }),
      );
      this.speaker.catch(() => (this.speaker = undefined));
    }
    return new Diarizer(await this.vad(), await this.speaker);
  }

  /** A neural denoiser of /v1/enhance-audio (lib/denoise/), loaded once per process (CPU: one frame per run). */
  denoiser(id: string): Promise<DenoiserModel> {
    if (!this.registry.denoiserInstalled(id)) {
      return Promise.reject(new ModelNotInstalledError(id, this.registry.installedDenoisers()));
    }
    let m = this.denoisers.get(id);
    if (!m) {
      const before = process.memoryUsage().rss;
      const started = Date.now();
      m = loadDenoiser(id, this.registry.denoiserDir(id)).then((d) => {
        this.log.info({ model: `denoiser ${id}`, device: 'cpu', ms: Date.now() - started, rssDeltaMb: Math.round((process.memoryUsage().rss - before) / 2 ** 20) }, 'model loaded');
        return d;
      });
      this.denoisers.set(id, m);
      m.catch(() => this.denoisers.delete(id)); // a failed load may be retried
    }
    return m;
  }

  /** The sentence embedder (lib/embeddings/, all-MiniLM-L6-v2), loaded once per process; logs load time and RSS growth. */
  embedder(): Promise<TextEmbedder> {
    if (!this.registry.embeddingModelInstalled()) return Promise.reject(new EmbeddingModelNotInstalledError());
    if (!this.textEmbedder) {
      const before = process.memoryUsage().rss;
      this.textEmbedder = this.onDevice('all-minilm-l6-v2', (executionProviders) =>
        OnnxTextEmbedder.load(this.registry.embeddingDir(), { executionProviders, intraOpNumThreads: this.config.inference.threads || undefined }),
      ).then((e) => {
        this.log.info({ model: e.id, rssDeltaMb: Math.round((process.memoryUsage().rss - before) / 2 ** 20) }, 'embedding model resident');
        return e;
      });
      this.textEmbedder.catch(() => (this.textEmbedder = undefined)); // a failed load may be retried
    }
    return this.textEmbedder;
  }

  /** A Piper TTS voice (lib/tts/), loaded once per process; logs its load time and RSS growth. */
  ttsVoice(id: string): Promise<PiperVoice> {
    if (!this.registry.ttsInstalled(id)) return Promise.reject(new ModelNotInstalledError(id, this.registry.installedVoices()));
    let v = this.voices.get(id);
    if (!v) {
      const before = process.memoryUsage().rss;
      const { threads } = this.config.inference;
      // No memoryArena: a voice keeps onnxruntime's arena (PiperVoice.load says why and how fast).
      v = this.onDevice(`tts ${id}`, (executionProviders) => PiperVoice.load(this.registry.ttsDir(id), { executionProviders, intraOpNumThreads: threads || undefined }));
      v.then(() => this.log.info({ model: `tts ${id}`, rssDeltaMb: Math.round((process.memoryUsage().rss - before) / 2 ** 20) }, 'model memory'), () => undefined);
      this.voices.set(id, v);
      v.catch(() => this.voices.delete(id)); // a failed load may be retried
    }
    return v;
  }

  async release(): Promise<void> {
    for (const v of this.voices.values()) await (await v.catch(() => undefined))?.release();
    for (const m of this.whisper.values()) await (await m.catch(() => undefined))?.release();
    await (await this.silero?.catch(() => undefined))?.release();
    await (await this.speaker?.catch(() => undefined))?.release();
    await (await this.textEmbedder?.catch(() => undefined))?.release();
    await this.llms.release();
    for (const d of this.denoisers.values()) await (await d.catch(() => undefined))?.release();
  }

  /** Loads on CUDA when configured or available, falling back to CPU unless CUDA was demanded. */
  private onDevice<T>(what: string, load: (providers: string[]) => Promise<T>): Promise<T> {
    return loadOnDevice(this.config.inference.device, this.log, what, load);
  }

  private loadWhisper(id: string): Promise<WhisperModel> {
    const { threads, whisperDecoder, whisperEncoder, whisperBeamSize, memoryArena } = this.config.inference;
    return this.onDevice(`whisper ${id}`, (executionProviders) =>
      WhisperModel.load(this.registry.whisperDir(id), { intraOpNumThreads: threads || undefined, decoder: whisperDecoder, encoder: whisperEncoder, beamSize: whisperBeamSize, memoryArena, executionProviders }),
    );
  }
}

