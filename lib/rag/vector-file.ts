/**
 * The stored form of a transcript's vectors: one object next to the transcript
 * (`jobs/<id>/segment-vectors.bin`), written in one put so it is whole or absent:
 *
 *   "VXVEC1\n\0" (8 bytes) | u32 LE header length | header JSON (UTF-8) | zero padding to 4 bytes |
 *   count × dimensions float32 LE (row i = unit i, L2-normalized)
 *
 * The header says which model made them and from which texts (fingerprint), and where each unit
 * sits in the transcript (segment order and times), so a search answers times without reading the
 * transcript. Binary Float32: 1.5 KB per segment at 384 dimensions, read straight into a Float32Array.
 */
export const VECTOR_FILE_MAGIC = 'VXVEC1\n\0';
export const VECTOR_CONTENT_TYPE = 'application/vnd.voxflow.vectors';

export interface VectorFileHeader {
  /** The embedding model (TextEmbedder.id). */
  model: string;
  dimensions: number;
  count: number;
  /** units.ts unitsFingerprint of the texts embedded. */
  fingerprint: string;
  /** Per unit: its segment order and times. */
  units: Array<{ order: number; start: number; end: number }>;
  /** Units the embedder cut at its token limit. */
  truncated: number;
  createdAt: string;
}

export interface VectorFile {
  header: VectorFileHeader;
  /** count × dimensions, row-major. */
  matrix: Float32Array;
}

export class VectorFileError extends Error {}

export function encodeVectorFile(header: VectorFileHeader, vectors: Float32Array[]): Buffer {
  if (vectors.length !== header.count || header.units.length !== header.count) throw new VectorFileError('vector count does not match the header');
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(8 + 4 + json.length);
  const out = Buffer.alloc(start + header.count * header.dimensions * 4);
  out.write(VECTOR_FILE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  vectors.forEach((v, i) => {
    if (v.length !== header.dimensions) throw new VectorFileError(`vector ${i} has ${v.length} dimensions, not ${header.dimensions}`);
    for (let d = 0; d < v.length; d++) out.writeFloatLE(v[d], start + (i * header.dimensions + d) * 4);
  });
  return out;
}

export function decodeVectorFile(buf: Buffer): VectorFile {
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== VECTOR_FILE_MAGIC) throw new VectorFileError('not a voxflow vector file');
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw new VectorFileError('vector file header is cut off');
  const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as VectorFileHeader;
  const start = align4(12 + len);
  const floats = header.count * header.dimensions;
  if (buf.length !== start + floats * 4) throw new VectorFileError(`vector file holds ${buf.length - start} bytes of vectors, not ${floats * 4}`);
  // Copied into an aligned array (the Buffer may sit at any offset of a pooled ArrayBuffer).
  const matrix = new Float32Array(floats);
  for (let i = 0; i < floats; i++) matrix[i] = buf.readFloatLE(start + i * 4);
  return { header, matrix };
}

const align4 = (n: number) => (n + 3) & ~3;
