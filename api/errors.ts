/**
 * The one mapping from errors to HTTP responses. Everything the API answers on failure is
 * `{"error": "<human readable message>"}` (plus machine-readable extras where useful).
 */
import { WorkflowFailedError, WorkflowNotFoundError, ServiceError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { MediaError } from '../lib/audio';
import { FailureType } from '../workflows/model';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Temporal is unreachable: the API stays up and says so at once. */
export const jobServiceUnavailable = () =>
  new HttpError(503, 'The job service is temporarily unavailable. Try again shortly.', {}, { 'Retry-After': '5' });
export const badRequest = (message: string, extra?: Record<string, unknown>) => new HttpError(400, message, extra);
export const payloadTooLarge = (message: string, extra?: Record<string, unknown>) => new HttpError(413, message, extra);
export const unsupportedMediaType = (message: string) => new HttpError(415, message);

/** Caps a user-supplied value before it is quoted in an answer or a log line (a 2 MB parameter is never echoed). */
export function clip(value: string, max = 100): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

/** Standard wording for statuses that framework defaults (router, body parsers) answer without a message of ours. */
const STATUS_MESSAGES: Record<number, string> = {
  400: 'The request is malformed.',
  404: 'Not found.',
  405: 'Method not allowed.',
  408: 'The request took too long to arrive.',
  411: 'A Content-Length or chunked body is required.',
  413: 'The request body is too large.',
  415: 'Unsupported content type.',
  431: 'The request headers are too large.',
  501: 'Not implemented.',
};
export const statusMessage = (status: number) => STATUS_MESSAGES[status] ?? (status >= 500 ? 'Internal server error.' : 'The request was rejected.');
export const notFound = (message = 'Not found.') => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

const FAILURE_STATUS: Record<string, number> = {
  [FailureType.InvalidMedia]: 400,
  [FailureType.InvalidInput]: 400,
  [FailureType.ModelNotInstalled]: 400,
  [FailureType.InsufficientCredits]: 402,
  [FailureType.AudioTooLong]: 413,
  [FailureType.Internal]: 500,
};

export interface HttpErrorBody {
  status: number;
  body: { error: string; type?: string; [k: string]: unknown };
  headers: Record<string, string>;
}

/** The innermost ApplicationFailure of a failed workflow carries the typed reason. */
export function failureOf(err: unknown): ApplicationFailure | undefined {
  let cur: unknown = err;
  while (cur && typeof cur === 'object') {
    if (cur instanceof ApplicationFailure && cur.type) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toHttpError(err: unknown): HttpErrorBody {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: err.message, ...err.extra }, headers: err.headers };
  }
  if (err instanceof MediaError) {
    return { status: 400, body: { error: err.message, type: FailureType.InvalidMedia, code: err.code }, headers: {} };
  }
  if (err instanceof WorkflowNotFoundError) return { status: 404, body: { error: 'Job not found.' }, headers: {} };
  if (err instanceof WorkflowFailedError) {
    if (err.cause instanceof CancelledFailure) return { status: 409, body: { error: 'The job was cancelled.' }, headers: {} };
    if (err.cause instanceof TerminatedFailure) return { status: 409, body: { error: 'The job was terminated by an operator.' }, headers: {} };
    const f = failureOf(err);
    const type = f?.type ?? FailureType.Internal;
    const status = FAILURE_STATUS[type] ?? 500;
    const code = (f?.details?.[0] as { code?: string } | undefined)?.code;
    return { status, body: { error: f?.message ?? 'The job failed.', type, ...(code ? { code } : {}) }, headers: {} };
  }
  if (err instanceof ServiceError || isConnectionError(err)) return toHttpError(jobServiceUnavailable());
  // Framework errors (http-errors from Koa or the router) carry a status; their messages are parser
  // internals or echo the input, so the answer uses the standard wording for the status instead.
  const status = (err as { status?: number; httpCode?: number }).httpCode ?? (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: statusMessage(status) }, headers: {} };
  }
  return { status: 500, body: { error: 'Internal server error.' }, headers: {} };
}

function isConnectionError(err: unknown): boolean {
  const msg = (err as Error)?.message ?? '';
  return /ECONNREFUSED|UNAVAILABLE|Failed to connect|connection refused|DEADLINE_EXCEEDED/i.test(msg);
}
