import type { Readable, Writable } from 'node:stream';

export interface ObjectInfo {
  size: number;
  contentType?: string;
}

/** One entry of a listing: enough for retention to decide what is old. */
export interface ListedObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** A write in progress: data goes into `stream`; `done` settles once the object is durable (or failed). */
export interface ObjectUpload {
  stream: Writable;
  done: Promise<ObjectInfo>;
  /** Abandons the upload; no object (not even a partial one) is left behind. */
  abort(reason?: Error): Promise<void>;
}

/**
 * Media, transcripts and other large results live here; workflows only pass keys (claim check).
 * Every method streams: nothing holds a whole object in memory.
 */
export interface ObjectStore {
  readonly kind: 'local' | 'minio';
  /** Creates the directory or bucket; safe to call repeatedly. */
  init(): Promise<void>;
  /** Throws when the backend cannot be reached. */
  ping(): Promise<void>;
  openWrite(key: string, opts?: { contentType?: string }): ObjectUpload;
  put(key: string, body: Readable | Buffer | string, opts?: { contentType?: string }): Promise<ObjectInfo>;
  get(key: string, range?: { start: number; end?: number }): Promise<Readable>;
  stat(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` ('' or ending in '/'), in key order, streamed page by page. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Deletes every object under `prefix` (non-empty, ending in '/'); returns how many there were. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Removes partial writes started before `olderThan` that never completed (a process killed in the
   * middle of an upload): local temp files, S3 incomplete multipart uploads. Returns how many.
   */
  sweepIncomplete(olderThan: Date): Promise<number>;
  /** Gives `fn` a local file path holding the object (the file itself on disk; a streamed temp copy otherwise). */
  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** Keys are plain relative paths; reject anything that could escape a directory or bucket prefix. */
export function assertValidKey(key: string): void {
  if (!/^[A-Za-z0-9._\-/]+$/.test(key) || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`invalid object key: ${JSON.stringify(key)}`);
  }
}

/**
 * Prefixes name a whole folder (`jobs/job_1/`), never part of a name: `jobs/job_1` would also match
 * `jobs/job_12/…`. Deleting needs a non-empty one, so no call can empty the whole store.
 */
export function assertValidPrefix(prefix: string, opts: { allowEmpty: boolean }): void {
  if (prefix === '' && opts.allowEmpty) return;
  if (!prefix.endsWith('/')) throw new Error(`invalid object prefix (must end in '/'): ${JSON.stringify(prefix)}`);
  assertValidKey(prefix.slice(0, -1));
}
