/** One contract, two real backends: local disk and a MinIO server started by the test setup. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import crypto from 'node:crypto';
import { createStore, ObjectNotFoundError, type ObjectStore } from '../../lib/storage';
import { testConfig } from '../helpers/config';

const backends: Array<['local' | 'minio']> = [['local'], ['minio']];

describe.each(backends)('object store contract (%s)', (kind) => {
  let store: ObjectStore;
  beforeAll(async () => {
    store = createStore(testConfig({ VOXFLOW_STORAGE: kind }));
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
  });

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

  it('refuses keys that escape the store', async () => {
    await expect(store.put('../escape', 'x')).rejects.toThrow(/invalid object key/);
  });
});
