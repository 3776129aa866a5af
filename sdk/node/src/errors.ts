/**
 * Errors: the API answers every failure as JSON `{"error": "...", ...}` with an HTTP status. Each
 * documented status has its class; every instance carries the status, the message and the whole body.
 */
import type { Job } from './types.js';

export class VoxflowError extends Error {
  override name = 'VoxflowError';
}

/** The server could not be reached (refused, reset, DNS, aborted by the timeout). */
export class APIConnectionError extends VoxflowError {
  override name = 'APIConnectionError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

export class APIError extends VoxflowError {
  override name = 'APIError';
  /** Machine-readable reason where the server gives one (`model_not_installed`, `invalid_parameter`...). */
  readonly code?: string;
  /** Set when the error comes from polling a job that failed (its last view). */
  job?: Job;
  constructor(
    message: string,
    readonly status: number,
    readonly body: { error: string; [k: string]: unknown } = { error: message },
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    if (typeof body.code === 'string') this.code = body.code;
  }
  /** Seconds from the server's Retry-After header, if any. */
  get retryAfter(): number | undefined {
    const v = Number(this.headers['retry-after']);
    return this.headers['retry-after'] !== undefined && Number.isFinite(v) ? v : undefined;
  }
}

export class BadRequestError extends APIError { override name = 'BadRequestError'; }
export class AuthenticationError extends APIError { override name = 'AuthenticationError'; }
export class PaymentRequiredError extends APIError { override name = 'PaymentRequiredError'; }
export class NotFoundError extends APIError { override name = 'NotFoundError'; }
export class ConflictError extends APIError { override name = 'ConflictError'; }
export class PayloadTooLargeError extends APIError { override name = 'PayloadTooLargeError'; }
export class RateLimitError extends APIError { override name = 'RateLimitError'; }
export class ServiceUnavailableError extends APIError { override name = 'ServiceUnavailableError'; }

/** `wait` gave up before the job finished (it keeps running on the server). */
export class JobTimeoutError extends VoxflowError {
  override name = 'JobTimeoutError';
  constructor(message: string, readonly job: Job) {
    super(message);
  }
}

const BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  429: RateLimitError,
  503: ServiceUnavailableError,
};

/** How the server maps a failed job's type to a status (api/errors.ts), so a polled failure throws the same class. */
const FAILURE_STATUS: Record<string, number> = {
  InvalidMedia: 400,
  InvalidInput: 400,
  ModelNotInstalled: 400,
  InsufficientCredits: 402,
  AudioTooLong: 413,
  Internal: 500,
};

export function errorFromResponse(status: number, body: unknown, headers: Record<string, string>, text = ''): APIError {
  const b = body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
    ? (body as { error: string })
    : { error: text.trim().slice(0, 200) || `HTTP ${status}` };
  const Cls = BY_STATUS[status] ?? APIError;
  return new Cls(b.error, status, b, headers);
}

/** The error a synchronous call would have thrown for this failed or cancelled job, with `job` set. */
export function jobFailure(job: Job): APIError {
  const e = job.error ?? { type: 'Internal', message: `The job ${job.status}.` };
  const status = job.status === 'cancelled' ? 409 : (FAILURE_STATUS[e.type] ?? 500);
  const { message, ...rest } = e;
  const err = errorFromResponse(status, { error: message, ...rest }, {});
  err.job = job;
  return err;
}
