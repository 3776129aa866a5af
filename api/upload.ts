/**
 * Streams one multipart file straight into object storage: a 2 GB upload never sits in memory or in
 * a temp file on the API host. The format is decided by content later (the probe step reads the
 * stored bytes with ffprobe), never by the file name: browsers send `blob`.
 *
 * Every way a body can go wrong (too large, too many parts or fields, oversized headers, malformed
 * or truncated framing, a client that stops sending) is answered at once with a message that says
 * what is wrong, and everything the request took is given back before the answer.
 */
import type { Context } from 'koa';
import type { ObjectStore } from '../lib/storage';
import { storageExtension } from '../lib/audio';
import { HttpError, badRequest, payloadTooLarge } from './errors';
import { MAX_FILENAME_BYTES } from './filename';
import { FormReader, storedWithin } from './multipart/form-reader';
import { MultipartFramingError } from './multipart/tokenizer';
import { closeAfterRejection, consumeBody } from './request-body';

export interface StoredUpload {
  key: string;
  filename: string;
  extension: string;
  sizeBytes: number;
}

export interface UploadOptions {
  store: ObjectStore;
  maxBytes: number;
  /** Multipart field carrying the file (`file`, or `reference` for TTS). */
  field: string;
  /** Storage key for the upload; `extension` is the name's when it is a known format, else `bin`. */
  keyFor: (extension: string) => string;
  /** A body with no byte for this long is answered 408. */
  idleMs: number;
}

/** Multipart framing (boundaries, part headers, small text fields) on top of the file itself. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * Storage is ours, not the client's: it gets the client's idle allowance but never less than 10 s
 * (a loaded MinIO may take seconds to finish an object) before the upload fails with 503.
 */
const storageStallMs = (idleMs: number) => Math.max(idleMs, 10_000);

const tooLarge = (max: number) =>
  payloadTooLarge(`The uploaded file is larger than the ${Math.round(max / 1024 / 1024)} MB this tier allows.`, { code: 'file_too_large' });

const noFile = (field: string, why = '') =>
  badRequest(`No file was received${why}: send the audio or video as the multipart field \`${field}\`.`, { code: 'missing_file' });

/** RFC 2046: 1–70 characters; a generous bound still keeps the delimiter search cheap. */
function boundaryOf(ctx: Context): string {
  const m = /;\s*boundary=(?:"([^"]{1,200})"|([^\s;"]{1,200}))(?=\s*(?:;|$))/i.exec(ctx.get('Content-Type'));
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw badRequest('The multipart/form-data Content-Type has no usable boundary parameter.', { code: 'malformed_body' });
  return boundary;
}

/** Client-facing wording for framing failures (parser state never reaches a message). */
function framingError(err: MultipartFramingError, sawFile: boolean, field: string): HttpError {
  if (err.reason === 'incomplete') {
    return sawFile
      ? badRequest('The multipart body ended before it was complete (the file or the closing boundary is missing).', { code: 'incomplete_body' })
      : noFile(field, ' (the multipart body ended before any file part)');
  }
  if (err.reason === 'headers_too_large') {
    return badRequest(`${err.message} File names may be at most ${MAX_FILENAME_BYTES} bytes.`, { code: 'part_headers_too_large' });
  }
  return badRequest(`The multipart body is malformed: ${err.message}`, { code: 'malformed_body' });
}

export async function receiveUpload(ctx: Context, opts: UploadOptions): Promise<{ upload: StoredUpload; fields: Record<string, string> }> {
  let form: FormReader | undefined;
  try {
    if (!ctx.is('multipart/form-data')) {
      throw badRequest(`Expected a multipart/form-data body with a \`${opts.field}\` file field.`, { code: 'not_multipart' });
    }
    const declared = Number(ctx.get('Content-Length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes + FORM_OVERHEAD_BYTES) throw tooLarge(opts.maxBytes);
    const reader = (form = new FormReader({
      boundary: boundaryOf(ctx),
      store: opts.store,
      field: opts.field,
      maxFileBytes: opts.maxBytes,
      tooLarge: () => tooLarge(opts.maxBytes),
      keyFor: (filename) => opts.keyFor(storageExtension(filename)),
      storageStallMs: storageStallMs(opts.idleMs),
    }));
    await consumeBody(ctx.req, { idleMs: opts.idleMs, maxBytes: opts.maxBytes + FORM_OVERHEAD_BYTES, tooLarge: () => tooLarge(opts.maxBytes) }, (chunk) =>
      reader.write(chunk),
    );
    reader.end();
    const file = reader.file;
    if (!file) throw noFile(opts.field);
    const info = await storedWithin(file.upload, storageStallMs(opts.idleMs));
    if (info.size === 0) {
      await opts.store.delete(file.key);
      throw badRequest('The uploaded file is empty.', { code: 'empty_file' });
    }
    return {
      upload: { key: file.key, filename: file.filename, extension: storageExtension(file.filename), sizeBytes: info.size },
      fields: reader.fields,
    };
  } catch (caught) {
    const err = caught instanceof MultipartFramingError ? framingError(caught, Boolean(form?.file), opts.field) : caught;
    await form?.abort(err as Error);
    closeAfterRejection(ctx, { immediately: err instanceof HttpError && err.status === 408 });
    throw err;
  }
}
