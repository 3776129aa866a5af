export interface WhisperLoadOptions {
  /** onnxruntime execution providers in preference order; default ['cpu']. Put 'cuda' first to use a GPU. */
  executionProviders?: string[];
  intraOpNumThreads?: number;
  /** onnxruntime's CPU memory arena (lib/onnx/session-options.ts); default off. */
  memoryArena?: boolean;
  /** Which decoder graph to run; int8 is smaller and faster on CPU at a small accuracy cost. Default fp32. */
  decoder?: 'fp32' | 'int8';
  /**
   * Which encoder graph to run; default fp32. int8 (encoder_int8.onnx, scripts/models/install-whisper-int8-encoder.sh)
   * loads in ~50 MB less and peaks ~70 MB lower, at +1.9 WER points on the bench sets. Naming int8 without the
   * graph installed is an error.
   */
  encoder?: 'fp32' | 'int8';
  /** Default beam width of transcribeChunk (1 = greedy); a call's own beamSize overrides it. Default 1. */
  beamSize?: number;
  /** Called after each graph's onnxruntime session is created, with its file name (memory tracing). */
  onGraphLoaded?: (file: string) => void;
}

export interface TranscribeChunkOptions {
  /** Language code from WhisperModel.languages (detect it first with detectLanguage when unknown). */
  language: string;
  /** 'translate': Whisper's X→English task (multilingual checkpoints only); default 'transcribe'. */
  task?: 'transcribe' | 'translate';
  wordTimestamps?: boolean;
  /** Re-decode at rising temperatures when the greedy output looks degenerate (openai-whisper's fallback). */
  temperatureFallback?: boolean;
  /** Beam width at temperature 0 (1 = greedy); default: the model's load option. */
  beamSize?: number;
  /** Beam search stops after round(beamSize × patience) finished candidates; default 1 (faster-whisper's). */
  patience?: number;
  /** null (default): rank by log-prob / length; α: by log-prob / ((5 + length) / 6)^α. */
  lengthPenalty?: number | null;
  /**
   * Encode only the audio present plus a margin instead of the zero-padded 30 s (whisper.cpp's audio_ctx),
   * when the model's graphs accept it (WhisperModel.trimmableWindow); ignored otherwise. Live streaming's
   * partials use it: the encoder's cost falls with the window's length.
   */
  trimWindow?: boolean;
  /** Cap on the sampled tokens (default n_text_ctx / 2 = 224): a partial of a few seconds needs far fewer, and a repetition loop stops there. */
  maxTokens?: number;
  /**
   * Tokens of the text before this window (ChunkSegment.tokens of the previous windows, oldest first), given
   * to the decoder as <|startofprev|> + the last 223 of them, as openai-whisper's and faster-whisper's
   * condition_on_previous_text does. A window decoded cold restarts the text's style (digits for numbers that
   * were spelled out, capitals) when it begins in mid-flow.
   */
  previousTokens?: readonly number[];
  /** Aborts between decoding passes (a cancelled job stops within one pass, not after every fallback). */
  signal?: AbortSignal;
}

export interface ChunkWord {
  /** As openai-whisper spells it: leading space included for space-delimited languages. */
  word: string;
  start: number;
  end: number;
  probability: number;
}

export interface ChunkSegment {
  /** Seconds from the chunk's start. */
  start: number;
  end: number;
  /** Decoded text, untrimmed (leading space kept, so segments concatenate correctly in every script). */
  text: string;
  /** exp(mean log-prob of the text tokens), 0..1. */
  confidence: number;
  /** Mean log-prob over the segment's tokens, timestamps included. */
  avgLogprob: number;
  /** Empty unless wordTimestamps was requested. */
  words: ChunkWord[];
  /** The decoder's tokens of this segment, timestamps included: what prompts the next window. */
  tokens?: number[];
}

export interface ChunkResult {
  language: string;
  /**
   * Temperature of the decoding pass that was kept (0 unless fallback sampled). Above 0.5 its text should not
   * prompt the next window (faster-whisper's prompt_reset_on_temperature): it is likely wrong.
   */
  temperature?: number;
  noSpeechProb: number;
  segments: ChunkSegment[];
}
