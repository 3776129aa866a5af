/** Transcription models the contract offers. Whether each is installed is decided by the model registry. */
export interface ModelDescriptor {
  id: string;
  name: string;
  /** What kind of model, on every entry of /v1/models: speech recognition, language model, (later) embedding, speech synthesis. */
  type: ModelType;
  languages: number;
  speed: 'very_fast' | 'fast' | 'standard';
}

export const TRANSCRIPTION_MODELS: readonly ModelDescriptor[] = [
  { id: 'large-v3-turbo', name: 'Whisper Large V3 Turbo', type: 'asr', languages: 99, speed: 'fast' },
  { id: 'large-v3', name: 'Whisper Large V3', type: 'asr', languages: 99, speed: 'standard' },
  { id: 'medium', name: 'Whisper Medium', type: 'asr', languages: 99, speed: 'fast' },
  { id: 'small', name: 'Whisper Small', type: 'asr', languages: 99, speed: 'very_fast' },
];

export const DEFAULT_TRANSCRIPTION_MODEL = 'large-v3-turbo';

export type ModelType = 'asr' | 'llm' | 'embedding' | 'tts' | 'denoiser';

/** Sentence-embedding models of POST /v1/embed and transcript search (lib/embeddings/). */
export interface EmbeddingDescriptor {
  id: string;
  name: string;
  type: 'embedding';
  dimensions: number;
  /** Word pieces read per text (longer texts are truncated, and the answer says so). */
  max_tokens: number;
  install: string;
}

export const EMBEDDING_MODELS: readonly EmbeddingDescriptor[] = [
  { id: 'all-minilm-l6-v2', name: 'all-MiniLM-L6-v2', type: 'embedding', dimensions: 384, max_tokens: 256, install: 'scripts/models/install-embeddings.sh' },
];

/** On-device instruct LLMs (GGUF, node-llama-cpp) for the text endpoints, best first; installed by scripts/models/install-llm.sh. */
export interface LlmDescriptor {
  id: string;
  name: string;
  type: 'llm';
  parameters: string;
  quantization: string;
  /** Tokens the model was trained for (the runtime's context is VOXFLOW_LLM_CONTEXT, at most this). */
  context_length: number;
  speed: 'very_fast' | 'fast' | 'standard';
  /** The installer argument that installs it. */
  install: string;
}

export const LLM_MODELS: readonly LlmDescriptor[] = [
  { id: 'qwen2.5-coder-1.5b-instruct-q4_k_m', name: 'Qwen2.5 Coder 1.5B Instruct', type: 'llm', parameters: '1.5B', quantization: 'Q4_K_M', context_length: 32768, speed: 'fast', install: 'scripts/models/install-llm.sh 1.5b' },
  { id: 'qwen2.5-coder-0.5b-instruct-q4_k_m', name: 'Qwen2.5 Coder 0.5B Instruct', type: 'llm', parameters: '0.5B', quantization: 'Q4_K_M', context_length: 32768, speed: 'very_fast', install: 'scripts/models/install-llm.sh 0.5b' },
];
