/** Upload sources as Blobs for Node's native FormData: a path becomes a file-backed Blob that fetch streams. */
import fs from 'node:fs';
import path from 'node:path';

/** A path, a Blob/File, or bytes. */
export type FileInput = string | Blob | Uint8Array | ArrayBuffer;

export async function toBlob(file: FileInput, filename?: string): Promise<{ blob: Blob; name: string }> {
  if (typeof file === 'string') {
    const name = filename ?? path.basename(file);
    // fs.openAsBlob (Node >= 19.8): the body is read from disk in chunks as it is sent, so a 2 GB upload
    // never sits in memory. Older Nodes read the file whole.
    const open = (fs as unknown as { openAsBlob?: (p: string) => Promise<Blob> }).openAsBlob;
    return { blob: open ? await open(file) : new Blob([await fs.promises.readFile(file)]), name };
  }
  if (file instanceof Blob) return { blob: file, name: filename ?? ((file as { name?: string }).name || 'audio') };
  const bytes = file instanceof ArrayBuffer ? new Uint8Array(file) : file;
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), name: filename ?? 'audio' };
}
