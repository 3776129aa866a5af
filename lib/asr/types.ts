/** What the transcription step needs from a speech model (lib/whisper's WhisperModel provides it). */
import type { ChunkSegment } from '../whisper/types';

export type { ChunkSegment };
export interface SpeechRecognizer {
  readonly id: string;
  readonly multilingual: boolean;
  detectLanguage(pcm: Float32Array): Promise<{ language: string; probability: number }>;
  transcribeChunk(
    pcm: Float32Array,
    opts: { language: string; task?: 'transcribe' | 'translate'; wordTimestamps?: boolean; temperatureFallback?: boolean; previousTokens?: readonly number[]; signal?: AbortSignal },
  ): Promise<{ language: string; noSpeechProb: number; temperature?: number; segments: ChunkSegment[] }>;
}

/** Models loaded once per worker process (sessions are expensive and leak if recreated). */
export interface InferenceEngines {
  recognizer(modelId: string): Promise<SpeechRecognizer>;
  vad(): Promise<import('../vad/silero').SileroVad>;
  /** Speaker diarization (VAD + CAM++ embeddings); rejects with SpeakerModelNotInstalledError. */
  diarizer(): Promise<import('../diarization/diarizer').Diarizer>;
  /** The sentence embedder of /v1/embed and transcript search (lib/embeddings/); rejects with EmbeddingModelNotInstalledError. */
  embedder?(): Promise<import('../embeddings/embedder').TextEmbedder>;
  /** The on-device LLM of the text steps (lib/llm/); rejects with LlmNotInstalledError. */
  llm?(): Promise<import('../llm/types').LlmModel>;
  /** A neural denoiser of /v1/enhance-audio (lib/denoise/); rejects with ModelNotInstalledError. */
  denoiser?(id: string): Promise<import('../denoise/types').DenoiserModel>;
  /** A TTS voice of POST /v1/tts (lib/tts/); rejects with ModelNotInstalledError. */
  ttsVoice?(id: string): Promise<import('../tts/piper').PiperVoice>;
}
