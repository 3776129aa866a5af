/**
 * Restart delays for supervised children: exponential, capped, and forgiven once a child has run
 * for a stable period (a child that crashes once a day restarts at once, one that crash-loops waits).
 */
export interface BackoffPolicy {
  /** Delay before the first restart. */
  initialMs: number;
  factor: number;
  maxMs: number;
  /** A child that ran at least this long before exiting starts again from initialMs. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, factor: 2, maxMs: 10_000, stableMs: 30_000 };

export class Backoff {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** The delay before the next start, given how long the run that just ended lasted. */
  next(ranForMs: number): number {
    if (ranForMs >= this.policy.stableMs) this.failures = 0;
    const p = this.policy;
    const delay = Math.min(p.maxMs, p.initialMs * p.factor ** this.failures);
    this.failures++;
    return delay;
  }

  /** Consecutive quick exits so far (what the log shows as the restart count). */
  get attempts(): number {
    return this.failures;
  }
}
