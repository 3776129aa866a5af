import type { InferenceSession } from 'onnxruntime-node';

export interface OrtSessionSettings {
  /** Execution providers in preference order; default ['cpu']. */
  executionProviders?: string[];
  /** Intra-op threads; undefined lets onnxruntime decide. */
  intraOpNumThreads?: number;
  /**
   * onnxruntime's CPU arena and memory-pattern planner keep every activation buffer of the largest run
   * for the life of the session. Measured on Whisper base int8 (jfk.wav, 3 runs): arena on 732 MB peak
   * RSS, arena and pattern off 489–492 MB at the same speed (3.7–5.6 s vs 4.5–4.9 s); arena off with
   * the pattern on was 2× slower (9.5 s). Default off (VOXFLOW_ORT_MEMORY_ARENA).
   */
  memoryArena?: boolean;
  /**
   * Whether onnxruntime's pool threads busy-wait for the next op instead of sleeping. Default off: the
   * service runs several sessions at once (two gpu slots, VAD, CAM++, MiniLM, llama.cpp beside them) on
   * few cores, and spinning threads steal the cores the working ones need. Measured on 2 cores, two
   * processes each transcribing jfk.wav 3 times with Whisper base fp32: spinning 7.9–8.2 s of CPU and
   * 3.3–5.2 s per warm run, not spinning 4.4–5.0 s of CPU and 0.8–2.3 s per warm run.
   */
  spinning?: boolean;
}

/** The one place the service's onnxruntime sessions get their options. */
export function ortSessionOptions(s: OrtSessionSettings): InferenceSession.SessionOptions {
  const arena = s.memoryArena ?? false;
  const spin = s.spinning ? '1' : '0';
  return {
    executionProviders: s.executionProviders?.length ? s.executionProviders : ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    enableCpuMemArena: arena,
    enableMemPattern: arena,
    // Session config entries (onnxruntime_session_options_config_keys.h), flattened by the binding.
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
    ...(s.intraOpNumThreads ? { intraOpNumThreads: s.intraOpNumThreads, interOpNumThreads: 1 } : {}),
  };
}
