/**
 * Streams one multipart file straight into object storage (formidable's write-stream hook):
 * a 2 GB upload never sits in memory or in a temp file on the API host.
 */
import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import type { ObjectStore, ObjectUpload } from '../lib/storage';
import { extensionOf, isSupportedFilename, SUPPORTED_EXTENSIONS } from '../lib/audio';
import { HttpError, badRequest } from './errors';

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
  keyFor: (extension: string) => string;
}

/** Multipart framing (boundaries, part headers, small text fields) on top of the file itself. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const tooLarge = (max: number) =>
  new HttpError(413, `The uploaded file is larger than the ${Math.round(max / 1024 / 1024)} MB this tier allows.`);

export async function receiveUpload(ctx: Context, opts: UploadOptions): Promise<{ upload: StoredUpload; fields: Record<string, string> }> {
  if (!ctx.is('multipart/form-data')) {
    throw badRequest(`Expected a multipart/form-data body with a \`${opts.field}\` file field.`);
  }
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes + FORM_OVERHEAD_BYTES) throw tooLarge(opts.maxBytes);

  const open: Array<{ upload: ObjectUpload; key: string; filename: string; extension: string }> = [];
  let rejected: string | undefined;
  const parse = koaBody({
    multipart: true,
    urlencoded: false,
    json: false,
    text: false,
    formLimit: '64kb',
    formidable: {
      maxFiles: 1,
      maxFileSize: opts.maxBytes,
      maxTotalFileSize: opts.maxBytes,
      allowEmptyFiles: true, // we answer empty files ourselves, with a clearer message
      minFileSize: 0,
      filter: (part) => {
        if (part.name !== opts.field) return false;
        const name = part.originalFilename ?? '';
        if (!isSupportedFilename(name)) {
          rejected = name;
          return false;
        }
        return true;
      },
      fileWriteStreamHandler: (file) => {
        const filename = (file as { originalFilename?: string | null })?.originalFilename ?? 'upload';
        const extension = extensionOf(filename);
        const key = opts.keyFor(extension);
        const upload = opts.store.openWrite(key, { contentType: (file as { mimetype?: string | null })?.mimetype ?? undefined });
        open.push({ upload, key, filename, extension });
        return upload.stream;
      },
    },
  });

  try {
    await parse(ctx, async () => undefined);
    const entry = open[0];
    if (!entry) {
      if (rejected !== undefined) {
        throw badRequest(
          `Unsupported file format${rejected ? ` (${rejected})` : ''}. Supported: ${SUPPORTED_EXTENSIONS.join(', ')}.`,
          { code: 'unsupported_format' },
        );
      }
      throw badRequest(`Missing file: send the audio or video as the multipart field \`${opts.field}\`.`, { code: 'missing_file' });
    }
    const info = await entry.upload.done;
    if (info.size === 0) {
      await opts.store.delete(entry.key);
      throw badRequest('The uploaded file is empty.', { code: 'empty_file' });
    }
    const fields = Object.fromEntries(
      Object.entries((ctx.request.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]),
    );
    return { upload: { key: entry.key, filename: entry.filename, extension: entry.extension, sizeBytes: info.size }, fields };
  } catch (err) {
    await Promise.all(open.map((o) => o.upload.abort(err as Error)));
    const status = (err as { httpCode?: number }).httpCode;
    if (status === 413) throw tooLarge(opts.maxBytes);
    throw err;
  }
}
