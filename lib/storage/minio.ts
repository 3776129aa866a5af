import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as Minio from 'minio';
import type { Config } from '../config';
import { ByteCounter } from './byte-counter';
import { assertValidKey, assertValidPrefix, ObjectNotFoundError, type ListedObject, type ObjectInfo, type ObjectStore, type ObjectUpload } from './types';

/** The `minio` storage settings from the validated config. */
export type MinioStoreOptions = Omit<Extract<Config['storage'], { kind: 'minio' }>, 'kind'>;

const isNotFound = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
};

/**
 * When an aborted upload looks again for incomplete parts its client may have started late (under
 * load the client's initiate call was seen landing more than a second after the abort). Whatever
 * still slips through is removed by the retention sweep's `sweepIncomplete`.
 */
const ABORT_RECHECK_MS = [1000, 5000, 20000];

/** S3-compatible storage (MinIO or any S3) for several machines; uploads stream as multipart. */
export class MinioStore implements ObjectStore {
  readonly kind = 'minio' as const;
  private readonly client: Minio.Client;
  private readonly bucket: string;
  private readonly region: string;

  constructor(opts: MinioStoreOptions) {
    this.client = new Minio.Client({
      endPoint: opts.endPoint,
      port: opts.port,
      useSSL: opts.useSSL,
      accessKey: opts.accessKey,
      secretKey: opts.secretKey,
      region: opts.region,
    });
    this.bucket = opts.bucket;
    this.region = opts.region;
  }

  async init(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) {
      await this.client.makeBucket(this.bucket, this.region).catch((err) => {
        // Another process may have created it in between.
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((err as { code?: string }).code ?? '')) throw err;
      });
    }
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`bucket ${this.bucket} does not exist`);
  }

  openWrite(key: string, opts: { contentType?: string } = {}): ObjectUpload {
    assertValidKey(key);
    // Counting in a Transform, not a 'data' listener: a listener would switch the stream to
    // flowing mode and the client would miss whatever flowed before it started reading.
    const stream = new ByteCounter();
    stream.on('error', () => undefined); // surfaced through `done`
    let aborted = false;
    const meta = opts.contentType ? { 'Content-Type': opts.contentType } : {};
    let rejectOnAbort: (err: Error) => void = () => undefined;
    const aborted$ = new Promise<never>((_, reject) => (rejectOnAbort = reject));
    const put = this.client.putObject(this.bucket, key, stream, undefined, meta).then(async () => {
      // A destroyed source can still let the client finish a short object: never keep a partial one.
      if (aborted) {
        await this.delete(key);
        throw new Error('upload aborted');
      }
      return { size: stream.bytes, contentType: opts.contentType };
    });
    put.catch(() => undefined);
    // The client may never settle once its source is destroyed, so an abort settles `done` itself.
    const done = Promise.race([put, aborted$]);
    done.catch(() => undefined);
    return {
      stream,
      done,
      abort: async (reason) => {
        aborted = true;
        const err = reason ?? new Error('upload aborted');
        rejectOnAbort(err);
        stream.destroy(err);
        // The client may have started a multipart upload: its parts stay on the server until aborted.
        // Abort it now, and once more shortly after (its start may still have been in flight), without
        // making the caller wait: a rejected upload is answered at once.
        const removeParts = () => this.client.removeIncompleteUpload(this.bucket, key).catch(() => undefined);
        await removeParts();
        for (const ms of ABORT_RECHECK_MS) setTimeout(removeParts, ms).unref();
        await this.delete(key).catch(() => undefined);
      },
    };
  }

  async put(key: string, body: Readable | Buffer | string, opts: { contentType?: string } = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const meta = opts.contentType ? { 'Content-Type': opts.contentType } : {};
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const buf = Buffer.from(body);
      await this.client.putObject(this.bucket, key, buf, buf.length, meta);
      return { size: buf.length, contentType: opts.contentType };
    }
    const upload = this.openWrite(key, opts);
    await pipeline(body, upload.stream).catch(async (err) => {
      await upload.abort(err);
      throw err;
    });
    return upload.done;
  }

  async get(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    assertValidKey(key);
    try {
      if (range) {
        const length = range.end === undefined ? 0 : range.end - range.start + 1;
        return await this.client.getPartialObject(this.bucket, key, range.start, length);
      }
      return await this.client.getObject(this.bucket, key);
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const st = await this.client.statObject(this.bucket, key);
      return { size: st.size, contentType: st.metaData?.['content-type'] };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertValidPrefix(prefix, { allowEmpty: true });
    // The client pages through ListObjectsV2 behind this stream (1,000 keys a request).
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
      const o = item as Minio.BucketItem;
      if (o.name) yield { key: o.name, size: o.size, modifiedAt: o.lastModified };
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix, { allowEmpty: false });
    let n = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length) await this.client.removeObjects(this.bucket, batch);
      n += batch.length;
      batch = [];
    };
    // One multi-object delete per 1,000 keys (the S3 limit per request).
    for await (const o of this.list(prefix)) {
      batch.push(o.key);
      if (batch.length === 1000) await flush();
    }
    await flush();
    return n;
  }

  async sweepIncomplete(olderThan: Date): Promise<number> {
    let n = 0;
    let keyMarker = '';
    // Pages by key (this client drops the upload-id marker); a key's remaining uploads are caught next sweep.
    for (;;) {
      const page = await this.client.listIncompleteUploadsQuery(this.bucket, '', keyMarker, '', '');
      for (const u of page.uploads) {
        const initiated = (u as { initiated?: Date }).initiated;
        if (initiated && initiated < olderThan) {
          await this.client.abortMultipartUpload(this.bucket, u.key, u.uploadId);
          n++;
        }
      }
      if (!page.isTruncated || !page.nextKeyMarker || page.nextKeyMarker === keyMarker) return n;
      keyMarker = page.nextKeyMarker;
    }
  }

  async withLocalFile<T>(key: string, fn: (p: string) => Promise<T>): Promise<T> {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'voxflow-'));
    const file = path.join(dir, crypto.randomUUID());
    try {
      await pipeline(await this.get(key), fs.createWriteStream(file));
      return await fn(file);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }
}
