/**
 * A denoiser runs as a stream: audio goes in in any chunk sizes, denoised audio comes out aligned
 * sample for sample with the input (the model's look-ahead is compensated inside), and the
 * stream's whole state can be snapshotted and restored, so a long file is processed with flat
 * memory and a retried step resumes where the last checkpoint left off.
 */
export interface DenoiseStream {
  /** Denoises the next input samples; returns the output samples that became final (any count). */
  push(input: Float32Array): Promise<Float32Array>;
  /** Flushes the look-ahead: after it the stream has returned exactly as many samples as it was given. */
  finish(): Promise<Float32Array>;
  /** Everything needed to continue this stream in another process (JSON-safe). */
  snapshot(): DenoiseSnapshot;
}

export interface DenoiseSnapshot {
  model: string;
  /** Named Float32Arrays, base64 of their little-endian bytes. */
  arrays: Record<string, string>;
  counters: Record<string, number>;
}

export interface DenoiserModel {
  readonly id: string;
  /** The rate the model runs at; callers decode to it. */
  readonly sampleRate: number;
  /** `signal` stops a model whose one push can run long (DeepFilterNet3's 30 s blocks) between its frames. */
  stream(from?: DenoiseSnapshot, signal?: AbortSignal): DenoiseStream;
  release(): Promise<void>;
}

export const encodeArray = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export function decodeArray(s: string | undefined, length: number, what: string): Float32Array {
  if (s === undefined) throw new Error(`denoiser snapshot lacks '${what}'`);
  const buf = Buffer.from(s, 'base64');
  if (buf.length !== length * 4) throw new Error(`denoiser snapshot '${what}' has ${buf.length / 4} values, expected ${length}`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Variable-length arrays (pending input, dry samples) in a snapshot. */
export function decodeAny(s: string | undefined): Float32Array {
  const buf = Buffer.from(s ?? '', 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Lets the event loop run between model calls: onnxruntime-node's run occupies the thread for
 * its duration, and one chunk is dozens of calls. Returns a function to await after each call.
 */
export function yielder(everyMs = 20): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = Date.now();
  };
}
