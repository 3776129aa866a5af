/**
 * A multipart form as the upload endpoints accept it: exactly one file part (streamed to storage as
 * it arrives) and a few small text fields. Every limit is checked the moment it is crossed, whatever
 * the order of the parts, and `abort` gives back everything the form took (the storage write above
 * all), so a rejected request leaves no object, temp file or descriptor behind.
 */
import { once } from 'node:events';
import type { ObjectStore, ObjectUpload } from '../../lib/storage';
import { HttpError, badRequest, clip, payloadTooLarge } from '../errors';
import { cleanFilename, MAX_FILENAME_BYTES } from '../filename';
import { parsePartHeaders } from './part-headers';
import { MultipartFramingError, MultipartTokenizer, type MultipartToken } from './tokenizer';

export interface FormLimits {
  /** Text fields (the transcribe endpoint has seven parameters). */
  maxFields: number;
  /** Parts of any kind. */
  maxParts: number;
  /** Bytes of one text field's value: parameters are short; nothing large reaches a workflow. */
  maxFieldBytes: number;
  maxFieldNameBytes: number;
  /** Bytes of one part's header block. */
  maxHeaderBytes: number;
}

export const FORM_LIMITS: FormLimits = {
  maxFields: 32,
  maxParts: 40,
  maxFieldBytes: 4096,
  maxFieldNameBytes: 100,
  maxHeaderBytes: 8192,
};

export interface ReceivedFile {
  key: string;
  filename: string;
  upload: ObjectUpload;
  bytes: number;
  ended: boolean;
}

export interface FormReaderOptions {
  boundary: string;
  store: ObjectStore;
  /** The multipart field carrying the file. */
  field: string;
  maxFileBytes: number;
  tooLarge: () => Error;
  /** Storage key for the file, from its (cleaned) name. */
  keyFor: (filename: string) => string;
  /** Storage that takes no data for this long fails the upload (503) instead of holding it forever. */
  storageStallMs: number;
  limits?: FormLimits;
}

type Current =
  | { kind: 'file' }
  | { kind: 'field'; name: string; chunks: Buffer[]; bytes: number }
  | { kind: 'skip' }
  | undefined;

/** Only plain `type/subtype` declarations are kept (they are stored with the object). */
const MIME = /^[A-Za-z0-9][\w.+-]{0,63}\/[\w.+-]{1,64}$/;

export class FormReader {
  private readonly tokenizer: MultipartTokenizer;
  private readonly limits: FormLimits;
  private current: Current;
  private parts = 0;
  private fieldCount = 0;
  readonly fields: Record<string, string> = {};
  file?: ReceivedFile;

  constructor(private readonly opts: FormReaderOptions) {
    this.limits = opts.limits ?? FORM_LIMITS;
    this.tokenizer = new MultipartTokenizer(opts.boundary, { maxHeaderBytes: this.limits.maxHeaderBytes, maxPreambleBytes: 1024 });
  }

  async write(chunk: Buffer): Promise<void> {
    for (const token of this.tokenizer.push(chunk)) await this.handle(token);
  }

  /** The body ended: throws when it ended inside the form. */
  end(): void {
    this.tokenizer.end();
  }

  /** Gives back the storage write (a finished one too): nothing of a rejected form stays stored. */
  async abort(reason: Error): Promise<void> {
    if (this.file) await this.file.upload.abort(reason).catch(() => undefined);
  }

  private async handle(token: MultipartToken): Promise<void> {
    switch (token.kind) {
      case 'part':
        return this.beginPart(token.headers);
      case 'data':
        return this.data(token.chunk);
      case 'partEnd':
        return this.endPart();
      case 'end':
        return;
    }
  }

  private beginPart(raw: Buffer): void {
    if (++this.parts > this.limits.maxParts) {
      throw payloadTooLarge(`The form has too many parts: at most ${this.limits.maxParts} are accepted.`, { code: 'too_many_parts' });
    }
    const h = parsePartHeaders(raw);
    if (h.transferEncoding && !['binary', '7bit', '8bit'].includes(h.transferEncoding)) {
      throw badRequest(`Content-Transfer-Encoding \`${clip(h.transferEncoding, 40)}\` is not supported in multipart parts; send the bytes as they are.`, { code: 'unsupported_encoding' });
    }
    if (h.name === undefined) throw badRequest('A multipart part has no field name (Content-Disposition: form-data; name="…").', { code: 'malformed_body' });
    if (h.name === this.opts.field) {
      if (this.file) {
        throw badRequest(`The form carries more than one \`${this.opts.field}\` part; send exactly one file per request.`, { code: 'multiple_files' });
      }
      const filename = cleanFilename(h.filename);
      const key = this.opts.keyFor(filename);
      const contentType = h.contentType && MIME.test(h.contentType) ? h.contentType : undefined;
      const upload = this.opts.store.openWrite(key, { contentType });
      upload.done.catch(() => undefined); // observed in `receiveUpload` or released by `abort`
      this.file = { key, filename, upload, bytes: 0, ended: false };
      this.current = { kind: 'file' };
      return;
    }
    if (h.filename !== undefined) {
      // An empty file input of another name (browsers send those) carries nothing: skip it.
      if (h.filename === '') {
        this.current = { kind: 'skip' };
        return;
      }
      throw badRequest(`Unexpected file in the form field \`${clip(h.name, 40)}\`: send the audio or video as \`${this.opts.field}\`.`, { code: 'unexpected_file' });
    }
    if (Buffer.byteLength(h.name) > this.limits.maxFieldNameBytes) {
      throw badRequest(`A form field name is longer than ${this.limits.maxFieldNameBytes} bytes (\`${clip(h.name, 40)}\`).`, { code: 'invalid_parameter' });
    }
    if (++this.fieldCount > this.limits.maxFields) {
      throw payloadTooLarge(`The form has too many fields: at most ${this.limits.maxFields} are accepted.`, { code: 'too_many_fields' });
    }
    this.current = { kind: 'field', name: h.name, chunks: [], bytes: 0 };
  }

  private async data(chunk: Buffer): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    if (cur.kind === 'field') {
      cur.bytes += chunk.length;
      if (cur.bytes > this.limits.maxFieldBytes) {
        throw payloadTooLarge(`The form field \`${clip(cur.name, 40)}\` is longer than ${this.limits.maxFieldBytes} bytes.`, { code: 'field_too_large', param: clip(cur.name, 40) });
      }
      cur.chunks.push(Buffer.from(chunk));
    } else if (cur.kind === 'skip') {
      if (chunk.length) throw badRequest('A form part without a field name or file carries data.', { code: 'malformed_body' });
    } else {
      const file = this.file!;
      file.bytes += chunk.length;
      if (file.bytes > this.opts.maxFileBytes) throw this.opts.tooLarge();
      if (!file.upload.stream.write(chunk)) await drained(file.upload, this.opts.storageStallMs);
    }
  }

  private endPart(): void {
    const cur = this.current;
    this.current = undefined;
    if (cur?.kind === 'field') {
      // Repeated fields: the first one counts (as the endpoints always did).
      // Array fields (`name[]`, as the openai SDKs send timestamp_granularities[]) keep every value, one per line.
      const value = Buffer.concat(cur.chunks).toString('utf8');
      if (!(cur.name in this.fields)) this.fields[cur.name] = value;
      else if (cur.name.endsWith('[]')) this.fields[cur.name] += `\n${value}`;
    } else if (cur?.kind === 'file') {
      this.file!.ended = true;
      this.file!.upload.stream.end();
    }
  }
}

const storageStalled = () => new HttpError(503, 'Storage is not accepting the upload; try again shortly.', { code: 'storage_stalled' }, { 'Retry-After': '5' });

/** The stored object once durable; storage that does not finish within `stallMs` is a 503, not a hang. */
export async function storedWithin(upload: ObjectUpload, stallMs: number) {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([upload.done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(storageStalled()), stallMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for the storage stream to take more; a failed or stuck write rejects instead of hanging. */
async function drained(upload: ObjectUpload, stallMs: number): Promise<void> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      once(upload.stream, 'drain', { signal: ac.signal }),
      upload.done.then(() => {
        throw new Error('the storage write finished before the file did');
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(storageStalled()), stallMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

export { MultipartFramingError, MAX_FILENAME_BYTES };
