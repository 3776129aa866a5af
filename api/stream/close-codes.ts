/**
 * How WS /v1/stream ends. Every abnormal end sends `{"error": "..."}` first, then closes with one of
 * these codes (RFC 6455 codes where one fits, 4000+ for this service's own reasons).
 */
export const CloseCode = {
  /** `{"action":"stop"}` was honoured: every text sent, then `{"is_final": true}`. */
  Normal: 1000,
  /** The server is shutting down. */
  GoingAway: 1001,
  /** Text frame that is not JSON; binary PCM of odd length (not whole Int16 samples). */
  UnsupportedData: 1003,
  /** Bad or missing config (audio before it, unknown model or language), bad API key, unknown action. */
  Policy: 1008,
  /** A frame larger than VOXFLOW_STREAM_MAX_FRAME_KB. */
  TooBig: 1009,
  /** Recognition failed on the server. */
  Internal: 1011,
  /** No audio frame, or no speech in the audio, for VOXFLOW_STREAM_IDLE_MS. */
  Idle: 4000,
  /** The stream reached its longest allowed length (VOXFLOW_STREAM_MAX_SESSION_S, or the anonymous audio bound). */
  MaxSession: 4001,
  /** No credits to start, or the credits held for this stream are used up. */
  NoCredits: 4002,
  /** Tier limits: concurrent jobs, or anonymous jobs per day. */
  RateLimited: 4029,
  /** No config within VOXFLOW_STREAM_CONFIG_TIMEOUT_MS of connecting. */
  ConfigTimeout: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** An error that ends a stream: its message goes to the client as `{"error"}`, then the close code. */
export class StreamError extends Error {
  constructor(
    readonly code: CloseCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
