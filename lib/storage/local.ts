import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteCounter } from './byte-counter';
import { assertValidKey, assertValidPrefix, ObjectNotFoundError, type ListedObject, type ObjectInfo, type ObjectStore, type ObjectUpload } from './types';

/** Uploads and results are users' data: readable by the service user only, whatever the umask. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const META_SUFFIX = '.meta.json';
const TMP_DIR = '.tmp';

/** Zero-config default: objects are files under one directory; writes land atomically via rename. */
export class LocalDiskStore implements ObjectStore {
  readonly kind = 'local' as const;
  constructor(private readonly root: string) {}

  async init(): Promise<void> {
    await fsp.mkdir(path.join(this.root, TMP_DIR), { recursive: true, mode: DIR_MODE });
    // A store created before modes were set (or by another tool) is made private too.
    await fsp.chmod(this.root, DIR_MODE);
    await fsp.chmod(path.join(this.root, TMP_DIR), DIR_MODE);
  }

  async ping(): Promise<void> {
    await fsp.access(this.root, fs.constants.R_OK | fs.constants.W_OK);
  }

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, key);
  }

  private meta(key: string): string {
    return `${this.file(key)}${META_SUFFIX}`;
  }

  openWrite(key: string, opts: { contentType?: string } = {}): ObjectUpload {
    const target = this.file(key);
    const tmp = path.join(this.root, TMP_DIR, `${crypto.randomUUID()}`);
    const stream = new ByteCounter();
    const out = fs.createWriteStream(tmp, { mode: FILE_MODE });
    const done = (async () => {
      try {
        await pipeline(stream, out);
        const size = stream.bytes;
        await fsp.mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
        if (opts.contentType) await fsp.writeFile(this.meta(key), JSON.stringify({ contentType: opts.contentType }), { mode: FILE_MODE });
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

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertValidPrefix(prefix, { allowEmpty: true });
    yield* this.walk(prefix);
  }

  /** Depth-first in sorted order, so keys come out in the same order as from S3. Skips temp files and sidecars. */
  private async *walk(dirKey: string): AsyncIterable<ListedObject> {
    const entries = await fsp.readdir(path.join(this.root, dirKey), { withFileTypes: true }).catch((err) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    const names = entries.map((e) => ({ name: e.isDirectory() ? `${e.name}/` : e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of names) {
      const key = `${dirKey}${e.name}`;
      if (key === `${TMP_DIR}/`) continue;
      if (e.dir) {
        yield* this.walk(key);
      } else if (!key.endsWith(META_SUFFIX)) {
        const st = await fsp.stat(path.join(this.root, key)).catch(() => null); // deleted meanwhile
        if (st) yield { key, size: st.size, modifiedAt: st.mtime };
      }
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix, { allowEmpty: false });
    let n = 0;
    for await (const _ of this.walk(prefix)) n++;
    await fsp.rm(path.join(this.root, prefix), { recursive: true, force: true });
    return n;
  }

  async sweepIncomplete(olderThan: Date): Promise<number> {
    const dir = path.join(this.root, TMP_DIR);
    let n = 0;
    for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name);
      const st = await fsp.stat(file).catch(() => null);
      if (st && st.mtime < olderThan) {
        await fsp.rm(file, { recursive: true, force: true });
        n++;
      }
    }
    return n;
  }

  async withLocalFile<T>(key: string, fn: (p: string) => Promise<T>): Promise<T> {
    const file = this.file(key);
    if (!(await this.stat(key))) throw new ObjectNotFoundError(key);
    return fn(file);
  }
}
