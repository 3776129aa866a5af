/**
 * The LLM runtime's contract with the activities that use it (summarize today; analyze, generate,
 * translate later): one chat-style request in, text (or schema-valid JSON) out, bounded and observable.
 */

export interface GenerateRequest {
  /** Instructions for the model (the chat template's system turn). */
  system: string;
  /** The user turn: the text to work on, with the task. */
  prompt: string;
  /** Hard bound on generated tokens (also clamped to the runtime's configured ceiling). */
  maxTokens: number;
  /** 0 (the default) is greedy decoding: the same input gives the same output, which tests rely on. */
  temperature?: number;
  /**
   * A JSON schema the output must follow. The runtime turns it into a llama.cpp grammar, so tokens
   * outside the schema cannot be sampled: the output parses, always (see json-schema.ts).
   */
  jsonSchema?: object;
}

export interface GenerateResult {
  text: string;
  /** Tokens in the prompt as the model saw it (chat template included) and tokens generated. */
  promptTokens: number;
  outputTokens: number;
  /** Why generation ended: the model finished, or the maxTokens bound cut it. */
  stopReason: 'eos' | 'maxTokens' | 'abort';
  ms: number;
  /** Time from the request reaching the model to its first generated token. */
  firstTokenMs: number | null;
}

export interface GenerateHooks {
  /** Called every few generated tokens (activities heartbeat from it). */
  onProgress?: (outputTokens: number) => void;
  /** Aborts the generation (activity cancellation). */
  signal?: AbortSignal;
}

/** One loaded model. */
export interface LlmModel {
  readonly id: string;
  /** Tokens the context holds per sequence (prompt + output must fit). */
  readonly contextSize: number;
  generate(req: GenerateRequest, hooks?: GenerateHooks): Promise<GenerateResult>;
  /** Tokens the text takes (the model's own tokenizer). */
  countTokens(text: string): Promise<number>;
  release(): Promise<void>;
}

/** Runtime settings, from lib/config.ts (`llm`). */
export interface LlmSettings {
  /** auto: CUDA when llama.cpp's CUDA binary loads on this machine, else CPU. */
  device: 'auto' | 'cpu' | 'cuda';
  /** Tokens per sequence. */
  contextSize: number;
  /** CPU threads for evaluation; 0: all the machine's math cores. */
  threads: number;
  /** Generations at once per worker process; 0: 1 on CPU (two would only halve each one's speed), 4 on CUDA. */
  concurrency: number;
  /** Ceiling on any one generation's output tokens. */
  maxOutputTokens: number;
}
