/** One contract, two real backends: local disk and a MinIO server started by the test setup. */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import crypto from 'node:crypto';
import { createStore, ObjectNotFoundError, type ObjectStore } from '../../lib/storage';
import * as Minio from 'minio';
import type { Config } from '../../lib/config';
import { testConfig } from '../helpers/config';

const backends: Array<['local' | 'minio']> = [['local'], ['minio']];

describe.each(backends)('object store contract (%s)', (kind) => {
  let store: ObjectStore;
  const config = testConfig({ VOXFLOW_STORAGE: kind });
  beforeAll(async () => {
    store = createStore(config);
    await store.init();
    await store.init(); // idempotent
  });

  it('answers ping once initialised', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('round-trips a buffer with content type and size', async () => {
    const info = await store.put('a/b/hello.txt', Buffer.from('hello world'), { contentType: 'text/plain' });
    expect(info.size).toBe(11);
    expect(await text(await store.get('a/b/hello.txt'))).toBe('hello world');
    expect(await store.stat('a/b/hello.txt')).toMatchObject({ size: 11, contentType: 'text/plain' });
  });

  it('reads byte ranges', async () => {
    await store.put('range.txt', '0123456789');
    expect(await text(await store.get('range.txt', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await store.get('range.txt', { start: 7 }))).toBe('789');
  });

  it('streams a large object in and out with a matching checksum', async () => {
    const chunk = crypto.randomBytes(1024 * 1024);
    const parts = 24;
    const inHash = crypto.createHash('sha256');
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < parts; i++) {
          inHash.update(chunk);
          yield chunk;
        }
      })(),
    );
    const info = await store.put('big/blob.bin', source);
    expect(info.size).toBe(parts * chunk.length);
    const outHash = crypto.createHash('sha256');
    for await (const c of await store.get('big/blob.bin')) outHash.update(c as Buffer);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
  });

  it('leaves nothing behind when an upload is aborted', async () => {
    const up = store.openWrite('aborted/file.bin');
    up.stream.write(Buffer.alloc(1024, 1));
    await up.abort(new Error('client went away'));
    await expect(up.done).rejects.toThrow();
    expect(await store.stat('aborted/file.bin')).toBeNull();
    // ...not even the parts of an incomplete multipart upload (S3 keeps those, and bills them, forever).
    if (kind === 'local') {
      expect(await store.sweepIncomplete(new Date(Date.now() + 60_000))).toBe(0);
      return;
    }
    // The client's initiate call may land after the abort (seen under load): the store looks again
    // by itself, so wait for it without sweeping.
    const s = config.storage as Extract<Config['storage'], { kind: 'minio' }>;
    const raw = new Minio.Client({ endPoint: s.endPoint, port: s.port, useSSL: s.useSSL, accessKey: s.accessKey, secretKey: s.secretKey, region: s.region });
    const incomplete = () =>
      new Promise<number>((resolve, reject) => {
        let n = 0;
        raw.listIncompleteUploads(s.bucket, 'aborted/', true).on('data', () => n++).on('end', () => resolve(n)).on('error', reject);
      });
    const deadline = Date.now() + 25_000;
    while ((await incomplete()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(await incomplete()).toBe(0);
  }, 40_000);

  it('completes an open write once the stream ends', async () => {
    const up = store.openWrite('streamed/file.txt', { contentType: 'text/plain' });
    up.stream.write('part one, ');
    up.stream.end('part two');
    await expect(up.done).resolves.toMatchObject({ size: 18 });
    expect(await text(await store.get('streamed/file.txt'))).toBe('part one, part two');
  });

  it('reports missing objects as null / ObjectNotFoundError, and deletes', async () => {
    expect(await store.stat('nope/missing')).toBeNull();
    await expect(store.get('nope/missing')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await store.put('del/me', 'x');
    await store.delete('del/me');
    expect(await store.stat('del/me')).toBeNull();
    await expect(store.delete('del/me')).resolves.toBeUndefined();
  });

  it('materialises an object as a local file for tools like ffmpeg', async () => {
    await store.put('local/file.txt', 'on disk');
    let seen = '';
    await store.withLocalFile('local/file.txt', async (p) => {
      seen = fs.readFileSync(p, 'utf8');
    });
    expect(seen).toBe('on disk');
    await expect(store.withLocalFile('local/missing', async () => 1)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('lists objects under a prefix in key order, with sizes and modification times', async () => {
    const before = Date.now() - 5_000;
    await store.put('listing/job_1/b.txt', 'bb');
    await store.put('listing/job_1/a.txt', 'a', { contentType: 'text/plain' });
    await store.put('listing/job_1/deep/c.txt', 'ccc');
    await store.put('listing/job_12/x.txt', 'x'); // shares a name prefix, not the folder
    const listed = [];
    for await (const o of store.list('listing/job_1/')) listed.push(o);
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['listing/job_1/a.txt', 1],
      ['listing/job_1/b.txt', 2],
      ['listing/job_1/deep/c.txt', 3],
    ]);
    for (const o of listed) expect(o.modifiedAt.getTime()).toBeGreaterThan(before);
    const all = [];
    for await (const o of store.list('listing/')) all.push(o.key);
    expect(all).toHaveLength(4);
    const none = [];
    for await (const o of store.list('listing/nothing-here/')) none.push(o);
    expect(none).toEqual([]);
    // A whole-store listing holds only objects (no temp files or metadata sidecars).
    const everything = [];
    for await (const o of store.list('')) everything.push(o.key);
    expect(everything).toContain('listing/job_1/a.txt');
    expect(everything.some((k) => k.startsWith('.tmp') || k.endsWith('.meta.json'))).toBe(false);
  });

  it('deletes everything under a prefix and nothing beside it', async () => {
    await store.put('purge/job_1/a.txt', 'a', { contentType: 'text/plain' });
    await store.put('purge/job_1/deep/b.txt', 'b');
    await store.put('purge/job_12/keep.txt', 'k');
    expect(await store.deletePrefix('purge/job_1/')).toBe(2);
    expect(await store.stat('purge/job_1/a.txt')).toBeNull();
    expect(await store.stat('purge/job_1/deep/b.txt')).toBeNull();
    expect(await store.stat('purge/job_12/keep.txt')).not.toBeNull();
    expect(await store.deletePrefix('purge/job_1/')).toBe(0); // repeat: nothing left, no error
    const left = [];
    for await (const o of store.list('purge/')) left.push(o.key);
    expect(left).toEqual(['purge/job_12/keep.txt']);
  });

  it('refuses prefixes that are not folders, and an empty prefix for deletion', async () => {
    await expect(store.deletePrefix('')).rejects.toThrow(/invalid object prefix/);
    await expect(store.deletePrefix('purge/job_1')).rejects.toThrow(/invalid object prefix/);
    await expect(store.deletePrefix('../')).rejects.toThrow(/invalid object key/);
    await expect(store.list('a/../../')[Symbol.asyncIterator]().next()).rejects.toThrow(/invalid object key/);
  });

  it('sweeps partial writes that never completed, and only those older than asked', async () => {
    // A store of its own: the count must not see what other cases left in flight (an aborted
    // upload's late multipart parts, which the store removes by itself a little later).
    const config = testConfig({ VOXFLOW_STORAGE: kind });
    const store = createStore(config);
    await store.init();
    // A write whose process died mid-way: a temp file on disk, an incomplete multipart upload on S3.
    let partial: ReturnType<ObjectStore['openWrite']> | undefined;
    if (kind === 'local') {
      partial = store.openWrite('incomplete/never-finished.bin');
      partial.stream.write(Buffer.alloc(1024, 1));
      await new Promise((r) => setTimeout(r, 200));
    } else {
      const s = config.storage as Extract<Config['storage'], { kind: 'minio' }>;
      const raw = new Minio.Client({ endPoint: s.endPoint, port: s.port, useSSL: s.useSSL, accessKey: s.accessKey, secretKey: s.secretKey, region: s.region });
      await raw.initiateNewMultipartUpload(s.bucket, 'incomplete/never-finished.bin', {});
    }
    await store.put('incomplete/done.bin', 'complete');
    expect(await store.sweepIncomplete(new Date(Date.now() - 3600_000))).toBe(0); // not old enough
    expect(await store.sweepIncomplete(new Date(Date.now() + 60_000))).toBe(1);
    expect(await store.sweepIncomplete(new Date(Date.now() + 60_000))).toBe(0); // nothing left
    expect(await store.stat('incomplete/done.bin')).not.toBeNull(); // complete objects are not touched
    partial?.stream.destroy();
    await partial?.done.catch(() => undefined);
  });

  it('refuses keys that escape the store', async () => {
    await expect(store.put('../escape', 'x')).rejects.toThrow(/invalid object key/);
  });
});

describe('local store file modes', () => {
  it('keeps objects, metadata and folders private to the service user, whatever the umask', async () => {
    const config = testConfig({ VOXFLOW_STORAGE: 'local' });
    const dir = (config.storage as { dir: string }).dir;
    const old = process.umask(0o022); // the usual default that made files 0644 and folders 0755
    try {
      const store = createStore(config);
      await store.init();
      await store.put('uploads/job_1/source.wav', 'RIFF', { contentType: 'audio/wav' });
      const mode = (p: string) => fs.statSync(p).mode & 0o777;
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(dir, '.tmp'))).toBe(0o700);
      expect(mode(path.join(dir, 'uploads'))).toBe(0o700);
      expect(mode(path.join(dir, 'uploads', 'job_1'))).toBe(0o700);
      expect(mode(path.join(dir, 'uploads', 'job_1', 'source.wav'))).toBe(0o600);
      expect(mode(path.join(dir, 'uploads', 'job_1', 'source.wav.meta.json'))).toBe(0o600);
      // A store folder made before this change (0755) turns private on the next start.
      fs.chmodSync(dir, 0o755);
      await store.init();
      expect(mode(dir)).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });
});
