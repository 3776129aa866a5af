import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MediaError } from '../lib/audio';
import { ModelNotInstalledError } from '../lib/models/registry';
import { ObjectNotFoundError } from '../lib/storage';
import { FailureType } from '../workflows/model';
import { AudioTooLongError } from './limits';

/**
 * Turns errors that retrying cannot fix into non-retryable typed failures; everything else is
 * rethrown as is so Temporal retries it (flaky disk, storage hiccup, killed process).
 *
 * Only what the caller sent may be typed as the caller's fault (InvalidMedia, AudioTooLong). A
 * missing object in our own storage is ours: the API stored the upload and the steps wrote the
 * parts, so it is Internal, and its key (an internal path) stays in the log, not in the message.
 */
export function asActivityFailure(err: unknown): unknown {
  if (err instanceof MediaError) {
    return ApplicationFailure.create({
      message: err.message,
      type: FailureType.InvalidMedia,
      nonRetryable: true,
      details: [{ code: err.code }],
    });
  }
  if (err instanceof AudioTooLongError) {
    return ApplicationFailure.create({
      message: err.message,
      type: FailureType.AudioTooLong,
      nonRetryable: true,
      details: [{ code: 'audio_too_long', limitSeconds: err.limitSeconds }],
    });
  }
  if (err instanceof ObjectNotFoundError) {
    logMissing(err.key);
    return ApplicationFailure.create({
      message: 'A stored object this job needs is missing from the service storage (an internal error).',
      type: FailureType.Internal,
      nonRetryable: true,
      details: [{ code: 'storage_object_missing' }],
    });
  }
  if (err instanceof ModelNotInstalledError) {
    return ApplicationFailure.create({ message: err.message, type: FailureType.ModelNotInstalled, nonRetryable: true });
  }
  return err;
}

function logMissing(key: string): void {
  try {
    Context.current().log.error('stored object missing', { key });
  } catch {
    // Not inside an activity (unit use): nothing to log to.
  }
}

export async function withTypedFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asActivityFailure(err);
  }
}
