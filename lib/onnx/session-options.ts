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
}

/** The one place the service's onnxruntime sessions get their options. */
export function ortSessionOptions(s: OrtSessionSettings): InferenceSession.SessionOptions {
  const arena = s.memoryArena ?? false;
  return {
    executionProviders: s.executionProviders?.length ? s.executionProviders : ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    enableCpuMemArena: arena,
    enableMemPattern: arena,
    ...(s.intraOpNumThreads ? { intraOpNumThreads: s.intraOpNumThreads, interOpNumThreads: 1 } : {}),
  };
}
