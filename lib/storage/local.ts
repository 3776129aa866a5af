import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteCounter } from './byte-counter';
import { assertValidKey, ObjectNotFoundError, type ObjectInfo, type ObjectStore, type ObjectUpload } from './types';

/** Zero-config default: objects are files under one directory; writes land atomically via rename. */
export class LocalDiskStore implements ObjectStore {
  readonly kind = 'local' as const;
  constructor(private readonly root: string) {}

  async init(): Promise<void> {
    await fsp.mkdir(path.join(this.root, '.tmp'), { recursive: true });
  }

  async ping(): Promise<void> {
    await fsp.access(this.root, fs.constants.R_OK | fs.constants.W_OK);
  }

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, key);
  }

  private meta(key: string): string {
    return `${this.file(key)}.meta.json`;
  }

  openWrite(key: string, opts: { contentType?: string } = {}): ObjectUpload {
    const target = this.file(key);
    const tmp = path.join(this.root, '.tmp', `${crypto.randomUUID()}`);
    const stream = new ByteCounter();
    const out = fs.createWriteStream(tmp);
    const done = (async () => {
      try {
        await pipeline(stream, out);
        const size = stream.bytes;
        await fsp.mkdir(path.dirname(target), { recursive: true });
        if (opts.contentType) await fsp.writeFile(this.meta(key), JSON.stringify({ contentType: opts.contentType }));
        await fsp.rename(tmp, target);
        return { size, contentType: opts.contentType };
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
    })();
    done.catch(() => undefined); // observed by the caller; avoid unhandled rejections on abort
    return {
      stream,
      done,
      abort: async (reason) => {
        stream.destroy(reason ?? new Error('upload aborted'));
        await done.catch(() => undefined);
        // The write may have completed just before the abort: an aborted upload never leaves an object.
        await this.delete(key);
      },
    };
  }

  async put(key: string, body: Readable | Buffer | string, opts: { contentType?: string } = {}): Promise<ObjectInfo> {
    const upload = this.openWrite(key, opts);
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    await pipeline(source, upload.stream).catch(async (err) => {
      await upload.abort(err);
      throw err;
    });
    return upload.done;
  }

  async get(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const file = this.file(key);
    const handle = await fsp.open(file, 'r').catch((err) => {
      if (err.code === 'ENOENT') throw new ObjectNotFoundError(key);
      throw err;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    try {
      const st = await fsp.stat(this.file(key));
      const meta = await fsp.readFile(this.meta(key), 'utf8').then(JSON.parse, () => ({}));
      return { size: st.size, contentType: meta.contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
    await fsp.rm(this.meta(key), { force: true });
  }

  async withLocalFile<T>(key: string, fn: (p: string) => Promise<T>): Promise<T> {
    const file = this.file(key);
    if (!(await this.stat(key))) throw new ObjectNotFoundError(key);
    return fn(file);
  }
}
