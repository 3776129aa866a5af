import { ApplicationFailure } from '@temporalio/common';
import { MediaError } from '../lib/audio';
import { ModelNotInstalledError } from '../lib/models/registry';
import { ObjectNotFoundError } from '../lib/storage';
import { FailureType } from '../workflows/model';

/**
 * Turns errors that retrying cannot fix into non-retryable typed failures; everything else is
 * rethrown as is so Temporal retries it (flaky disk, storage hiccup, killed process).
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
  if (err instanceof ObjectNotFoundError) {
    return ApplicationFailure.create({ message: err.message, type: FailureType.InvalidInput, nonRetryable: true });
  }
  if (err instanceof ModelNotInstalledError) {
    return ApplicationFailure.create({ message: err.message, type: FailureType.ModelNotInstalled, nonRetryable: true });
  }
  return err;
}

export async function withTypedFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asActivityFailure(err);
  }
}
