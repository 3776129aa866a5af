import fs from 'node:fs';
import path from 'node:path';
import { EMBEDDING_MODELS, LLM_MODELS, TRANSCRIPTION_MODELS, type EmbeddingDescriptor, type LlmDescriptor, type ModelDescriptor } from '../catalog/models';
import { TTS_VOICES, type TtsVoiceDescriptor } from '../tts/catalog';
import { DENOISER_MODELS, type DenoiserDescriptor } from '../denoise/catalog';

/** Preference when the caller names no model: the contract default first, then the best installed. */
const PREFERENCE = ['large-v3-turbo', 'large-v3', 'medium', 'small', 'base', 'tiny'];

export class ModelNotInstalledError extends Error {
  constructor(
    readonly requested: string,
    readonly installed: string[],
  ) {
    super(
      installed.length
        ? `Model '${requested}' is not installed on this server. Installed: ${installed.join(', ')}.`
        : `Model '${requested}' is not installed and no transcription model is installed on this server.`,
    );
  }
}

/** The diarization step's speaker-embedding model is missing on this worker. */
export class SpeakerModelNotInstalledError extends ModelNotInstalledError {
  constructor() {
    super('campplus-cn-en-common', []);
    this.message = 'The speaker-embedding model (CAM++) is not installed on this worker: run scripts/models/install-speaker.sh.';
  }
}

/** The sentence-embedding model (POST /v1/embed, transcript search) is missing on this worker. */
export class EmbeddingModelNotInstalledError extends ModelNotInstalledError {
  constructor() {
    super('all-minilm-l6-v2', []);
    this.message = 'The embedding model (all-MiniLM-L6-v2) is not installed on this server: run scripts/models/install-embeddings.sh.';
  }
}

/** The text endpoints' language model is missing on this worker. */
export class LlmNotInstalledError extends ModelNotInstalledError {
  constructor(requested: string | undefined, installed: string[]) {
    super(requested ?? LLM_MODELS[0].id, installed);
    this.message = requested
      ? `Language model '${requested}' is not installed on this server${installed.length ? ` (installed: ${installed.join(', ')})` : ''}: run scripts/models/install-llm.sh.`
      : 'No language model is installed on this server: run scripts/models/install-llm.sh.';
  }
}

/**
 * Maps model ids to files on disk. A model counts as installed only when its manifest is present
 * (installers write it last, after checksums pass), so a half-copied model is never offered.
 */
export class ModelRegistry {
  constructor(private readonly modelsDir: string) {}

  whisperDir(id: string): string {
    return path.join(this.modelsDir, 'whisper', id);
  }

  vadDir(): string {
    return path.join(this.modelsDir, 'vad', 'silero-v5');
  }

  /** CAM++ speaker embeddings (scripts/models/install-speaker.sh). */
  speakerDir(): string {
    return path.join(this.modelsDir, 'speaker', 'campplus-cn-en-common');
  }

  speakerModelInstalled(): boolean {
    return fs.existsSync(path.join(this.speakerDir(), 'manifest.json'));
  }

  isInstalled(id: string): boolean {
    return /^[\w.-]+$/.test(id) && fs.existsSync(path.join(this.whisperDir(id), 'manifest.json'));
  }

  installedWhisper(): string[] {
    const dir = path.join(this.modelsDir, 'whisper');
    const ids = fs.existsSync(dir) ? fs.readdirSync(dir).filter((id) => this.isInstalled(id)) : [];
    return ids.sort((a, b) => rank(a) - rank(b));
  }

  /** Contract models (installed or not) plus any other installed model, e.g. `base`. */
  transcriptionModels(): Array<ModelDescriptor & { installed: boolean }> {
    const listed = TRANSCRIPTION_MODELS.map((m) => ({ ...m, installed: this.isInstalled(m.id) }));
    const extra = this.installedWhisper()
      .filter((id) => !TRANSCRIPTION_MODELS.some((m) => m.id === id))
      .map((id) => ({ id, name: `Whisper ${id[0].toUpperCase()}${id.slice(1)}`, type: 'asr' as const, languages: 99, speed: 'very_fast' as const, installed: true }));
    return [...listed, ...extra];
  }

  /** all-MiniLM-L6-v2 sentence embeddings (scripts/models/install-embeddings.sh): model.onnx + tokenizer.json + manifest.json. */
  embeddingDir(): string {
    return path.join(this.modelsDir, 'embedding', 'all-minilm-l6-v2');
  }

  embeddingModelInstalled(): boolean {
    return fs.existsSync(path.join(this.embeddingDir(), 'manifest.json'));
  }

  /** The catalogue's embedding models with honest installed flags (GET /v1/models). */
  embeddingModels(): Array<EmbeddingDescriptor & { installed: boolean }> {
    return EMBEDDING_MODELS.map((m) => ({ ...m, installed: this.embeddingModelInstalled() }));
  }

  /** An LLM's folder (scripts/models/install-llm.sh): model.gguf + manifest.json. */
  llmDir(id: string): string {
    return path.join(this.modelsDir, 'llm', id);
  }

  llmInstalled(id: string): boolean {
    return /^[\w.-]+$/.test(id) && fs.existsSync(path.join(this.llmDir(id), 'manifest.json'));
  }

  /** The catalogue's LLMs with honest installed flags, best first. */
  llmModels(): Array<LlmDescriptor & { installed: boolean }> {
    return LLM_MODELS.map((m) => ({ ...m, installed: this.llmInstalled(m.id) }));
  }

  /** The LLM that runs: the configured one (must be installed), else the best installed. */
  resolveLlm(configured: string | undefined): string {
    const installed = LLM_MODELS.map((m) => m.id).filter((id) => this.llmInstalled(id));
    if (configured) {
      if (!this.llmInstalled(configured)) throw new LlmNotInstalledError(configured, installed);
      return configured;
    }
    if (!installed.length) throw new LlmNotInstalledError(undefined, installed);
    return installed[0];
  }

  /** A denoiser's folder (scripts/models/install-denoisers.sh): its ONNX files + manifest.json. */
  denoiserDir(id: string): string {
    return path.join(this.modelsDir, 'denoise', id);
  }

  denoiserInstalled(id: string): boolean {
    return DENOISER_MODELS.some((m) => m.id === id) && fs.existsSync(path.join(this.denoiserDir(id), 'manifest.json'));
  }

  /** Installed denoisers in catalogue order (the first is the default of /v1/enhance-audio). */
  installedDenoisers(): string[] {
    return DENOISER_MODELS.map((m) => m.id).filter((id) => this.denoiserInstalled(id));
  }

  /** The catalogue's denoisers with honest installed flags. */
  denoiserModels(): Array<DenoiserDescriptor & { installed: boolean }> {
    return DENOISER_MODELS.map((m) => ({ ...m, installed: this.denoiserInstalled(m.id) }));
  }

  /** A TTS voice's folder (scripts/models/install-tts.sh): .onnx + .onnx.json + manifest.json. */
  ttsDir(id: string): string {
    return path.join(this.modelsDir, 'tts', id);
  }

  ttsInstalled(id: string): boolean {
    return TTS_VOICES.some((v) => v.id === id) && fs.existsSync(path.join(this.ttsDir(id), 'manifest.json'));
  }

  installedVoices(): string[] {
    return TTS_VOICES.map((v) => v.id).filter((id) => this.ttsInstalled(id));
  }

  /** The catalogue's voices with honest installed flags (none clones a reference voice). */
  ttsVoices(): Array<TtsVoiceDescriptor & { installed: boolean }> {
    return TTS_VOICES.map((v) => ({ ...v, installed: this.ttsInstalled(v.id) }));
  }

  /** The model a request runs on: the one it names (must be installed), else the best installed. */
  resolveTranscriptionModel(requested: string | undefined): string {
    const installed = this.installedWhisper();
    if (requested) {
      if (!installed.includes(requested)) throw new ModelNotInstalledError(requested, installed);
      return requested;
    }
    if (!installed.length) throw new ModelNotInstalledError('large-v3-turbo', installed);
    return installed[0];
  }
}

const rank = (id: string) => {
  const i = PREFERENCE.indexOf(id);
  return i < 0 ? PREFERENCE.length : i;
};
