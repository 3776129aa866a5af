/**
 * A transcript's vectors: read from storage when they are there and still match the transcript and
 * the embedding model, otherwise made (in batches, with a progress callback between them, since one
 * onnxruntime run blocks the event loop) and stored. The embed step of a transcription makes them
 * at creation; chat and search make them on first use for transcripts from before that step, or
 * whose vectors are stale.
 */
import { buffer, text as readText } from 'node:stream/consumers';
import type { ObjectStore } from '../storage';
import type { Transcript } from '../transcript/types';
import type { RagEmbedder } from './embedder';
import { decodeVectorFile, encodeVectorFile, VECTOR_CONTENT_TYPE, VectorFileError, type VectorFile } from './vector-file';
import { DEFAULT_UNIT_OPTIONS, embeddingUnits, unitsFingerprint, type UnitOptions } from './units';

/** Texts per embedder call: large enough to batch well, small enough to heartbeat between. */
export const EMBED_BATCH = 32;

export interface VectorsIo {
  store: ObjectStore;
  embedder: () => Promise<RagEmbedder>;
  units?: UnitOptions;
  /** Called between embedding batches (activities heartbeat from it). */
  onProgress?: (done: number, total: number) => void;
}

export async function readTranscript(store: ObjectStore, key: string): Promise<Transcript> {
  return JSON.parse(await readText(await store.get(key))) as Transcript;
}

/** The stored vectors, or null when there are none (or they cannot be read: they are then made again). */
export async function storedVectors(store: ObjectStore, key: string): Promise<VectorFile | null> {
  if (!(await store.stat(key))) return null;
  try {
    return decodeVectorFile(await buffer(await store.get(key)));
  } catch (err) {
    if (err instanceof VectorFileError || err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Embeds the transcript's units and stores them at `key` (one put: the object is whole or absent). */
export async function makeVectors(io: VectorsIo, transcript: Pick<Transcript, 'segments'>, key: string): Promise<VectorFile & { sizeBytes: number }> {
  const opts = io.units ?? DEFAULT_UNIT_OPTIONS;
  const units = embeddingUnits(transcript.segments, opts);
  const embedder = await io.embedder();
  const vectors: Float32Array[] = [];
  let truncated = 0;
  for (let i = 0; i < units.length; i += EMBED_BATCH) {
    const out = await embedder.embed(units.slice(i, i + EMBED_BATCH).map((u) => u.text));
    vectors.push(...out.vectors);
    truncated += out.truncated.filter(Boolean).length;
    io.onProgress?.(Math.min(units.length, i + EMBED_BATCH), units.length);
  }
  const header = {
    model: embedder.id,
    dimensions: embedder.dimensions,
    count: units.length,
    fingerprint: unitsFingerprint(units, opts),
    units: units.map(({ order, start, end }) => ({ order, start, end })),
    truncated,
    createdAt: new Date().toISOString(),
  };
  const body = encodeVectorFile(header, vectors);
  await io.store.put(key, body, { contentType: VECTOR_CONTENT_TYPE });
  const matrix = new Float32Array(units.length * embedder.dimensions);
  vectors.forEach((v, i) => matrix.set(v, i * embedder.dimensions));
  return { header, matrix, sizeBytes: body.length };
}

/**
 * Vectors for a transcript whose text is at hand (chat): the stored ones when made by this model
 * from these very texts, else new ones.
 */
export async function vectorsForTranscript(io: VectorsIo, transcript: Pick<Transcript, 'segments'>, key: string): Promise<VectorFile & { made: boolean }> {
  const stored = await storedVectors(io.store, key);
  const embedder = await io.embedder();
  const opts = io.units ?? DEFAULT_UNIT_OPTIONS;
  if (stored && stored.header.model === embedder.id && stored.header.fingerprint === unitsFingerprint(embeddingUnits(transcript.segments, opts), opts)) {
    return { ...stored, made: false };
  }
  return { ...(await makeVectors(io, transcript, key)), made: true };
}

/**
 * Vectors for a transcript known by its keys only (search over many): the stored ones when this
 * model made them (a transcript does not change once its job is done), else made from the transcript.
 */
export async function vectorsByKey(io: VectorsIo, transcriptKey: string, key: string): Promise<(VectorFile & { made: boolean }) | null> {
  const stored = await storedVectors(io.store, key);
  const embedder = await io.embedder();
  if (stored && stored.header.model === embedder.id) return { ...stored, made: false };
  if (!(await io.store.stat(transcriptKey))) return null; // deleted meanwhile
  return { ...(await makeVectors(io, await readTranscript(io.store, transcriptKey), key)), made: true };
}
