import { MediaError } from './errors';
import { spawnStreaming, summarizeStderr } from './ffmpeg';

export const PCM_SAMPLE_RATE = 16_000;

export interface DecodeOptions {
  ffmpeg: string;
  signal?: AbortSignal;
  /** Start offset in seconds (resuming a long file after a crash). */
  startSeconds?: number;
  /** Samples per yielded chunk (the last one may be shorter). */
  chunkSamples?: number;
  /** Decode only this many seconds from the start offset (language detection samples windows). */
  maxSeconds?: number;
}

/**
 * Decodes any supported container to 16 kHz mono float PCM in fixed-size chunks, streaming:
 * memory stays flat however long the file is.
 */
export async function* decodePcm16k(file: string, opts: DecodeOptions): AsyncGenerator<Float32Array> {
  const chunkSamples = opts.chunkSamples ?? PCM_SAMPLE_RATE * 30;
  const args = ['-nostdin', '-v', 'error'];
  if (opts.startSeconds) args.push('-ss', String(opts.startSeconds));
  args.push('-i', file);
  if (opts.maxSeconds) args.push('-t', String(opts.maxSeconds));
  args.push('-vn', '-sn', '-dn', '-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-f', 'f32le', 'pipe:1');
  const proc = spawnStreaming(opts.ffmpeg, args, opts.signal);
  const chunkBytes = chunkSamples * 4;
  let pending: Buffer = Buffer.alloc(0);
  let produced = 0;
  for await (const data of proc.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (pending.length >= chunkBytes) {
      yield toFloat32(pending.subarray(0, chunkBytes));
      produced += chunkSamples;
      pending = pending.subarray(chunkBytes);
    }
  }
  const { code, stderr } = await proc.exited;
  // Killed by a signal (OOM killer, a stopping worker): ours, not the file's; a retry may succeed.
  if (code === null) throw new Error('ffmpeg was stopped by a signal while decoding the audio');
  if (code !== 0) throw new MediaError('corrupt_media', `The audio could not be decoded (${summarizeStderr(stderr, file)}).`);
  const tail = pending.length - (pending.length % 4);
  if (tail > 0) {
    yield toFloat32(pending.subarray(0, tail));
    produced += tail / 4;
  }
  if (produced === 0) throw new MediaError('corrupt_media', 'The file decoded to no audio samples.');
}

function toFloat32(buf: Buffer): Float32Array {
  // Copy: the Buffer may be a view into a pooled slab with an unaligned offset.
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Passes 16 kHz PCM through while counting its seconds (the audio's true decoded length). */
export function countSeconds(pcm: AsyncIterable<Float32Array>): { stream: AsyncGenerator<Float32Array>; seconds: () => number } {
  let samples = 0;
  const stream = (async function* () {
    for await (const p of pcm) {
      samples += p.length;
      yield p;
    }
  })();
  return { stream, seconds: () => samples / PCM_SAMPLE_RATE };
}
