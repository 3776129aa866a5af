/**
 * Installs a model from a URL base (a model hub mirror, an internal HTTP server) for machines that
 * can reach one: every file is streamed to a temp name, checked against its pinned sha256, then
 * moved into place; manifest.json is written last, so a half-downloaded model is never "installed".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface RemoteFile {
  name: string;
  sha256: string;
  bytes?: number;
}

export interface DownloadPlan {
  baseUrl: string;
  files: RemoteFile[];
  /** Written as manifest.json once every file verified. */
  manifest: Record<string, unknown>;
}

export class ChecksumMismatchError extends Error {
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super(`checksum mismatch for ${file}: expected ${expected}, got ${actual}`);
  }
}

export async function downloadModel(plan: DownloadPlan, dir: string, opts: { fetchImpl?: typeof fetch; onProgress?: (file: string, bytes: number) => void } = {}): Promise<void> {
  const doFetch = opts.fetchImpl ?? fetch;
  await fsp.mkdir(dir, { recursive: true });
  await fsp.rm(path.join(dir, 'manifest.json'), { force: true });
  for (const f of plan.files) {
    if (!/^[\w.-]+(\/[\w.-]+)*$/.test(f.name)) throw new Error(`refusing unsafe file name ${f.name}`);
    const target = path.join(dir, f.name);
    if (await hasChecksum(target, f.sha256)) continue; // resumable: keep verified files
    const url = `${plan.baseUrl.replace(/\/$/, '')}/${f.name}`;
    const res = await doFetch(url);
    if (!res.ok || !res.body) throw new Error(`download of ${url} failed: HTTP ${res.status}`);
    const tmp = `${target}.partial`;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        bytes += chunk.length;
        opts.onProgress?.(f.name, bytes);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as never), tap, fs.createWriteStream(tmp));
      const actual = hash.digest('hex');
      if (actual !== f.sha256) throw new ChecksumMismatchError(f.name, f.sha256, actual);
      if (f.bytes !== undefined && bytes !== f.bytes) throw new Error(`size mismatch for ${f.name}: expected ${f.bytes}, got ${bytes}`);
      await fsp.rename(tmp, target);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }
  await fsp.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(plan.manifest, null, 2));
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

async function hasChecksum(file: string, sha256: string): Promise<boolean> {
  try {
    return (await sha256File(file)) === sha256;
  } catch {
    return false;
  }
}
