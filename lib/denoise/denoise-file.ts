/**
 * Runs a denoiser over a whole file as a stream: ffmpeg decodes to 16 kHz mono in 1 s chunks, each
 * chunk goes through the model (which yields to the event loop between its runs), and the output
 * is handed on as it becomes final. Every `checkpointSamples` of input the caller gets the
 * stream's state, from which a later attempt resumes (decoding from that second) with output
 * identical to an unbroken run. Memory is flat in the file's length.
 */
import { decodePcm16k, PCM_SAMPLE_RATE } from '../audio/decode';
import { MixedStream, type MixSnapshot } from './mix';
import type { DenoiserModel } from './types';

export interface DenoiseCheckpoint {
  /** Input samples (16 kHz) consumed; always a whole number of seconds. */
  inputSamples: number;
  snapshot: MixSnapshot;
}

export interface DenoiseFileOptions {
  ffmpeg: string;
  model: DenoiserModel;
  /** 0..1: the share of denoised signal in the output (1: fully denoised). */
  strength: number;
  signal?: AbortSignal;
  from?: DenoiseCheckpoint;
  /** A checkpoint every this many input samples (a multiple of the 1 s chunk). */
  checkpointSamples: number;
  /** Receives the output in order; awaited, so a slow writer holds the decoder back. */
  onOutput: (pcm: Float32Array) => Promise<void>;
  /** Called after every output up to the checkpoint was handed to onOutput. */
  onCheckpoint: (cp: DenoiseCheckpoint) => Promise<void>;
  onProgress?: (inputSeconds: number) => void;
}

const CHUNK = PCM_SAMPLE_RATE;

export async function denoiseFile(file: string, opts: DenoiseFileOptions): Promise<{ inputSamples: number }> {
  if (opts.model.sampleRate !== PCM_SAMPLE_RATE) throw new Error(`denoiser ${opts.model.id} runs at ${opts.model.sampleRate} Hz; the decoder gives ${PCM_SAMPLE_RATE}`);
  if (opts.checkpointSamples % CHUNK !== 0) throw new Error('checkpoints fall on whole chunks');
  const stream = new MixedStream(opts.model, opts.strength, opts.from?.snapshot, opts.signal);
  let inputSamples = opts.from?.inputSamples ?? 0;
  let decoded = 0;
  try {
    for await (const chunk of decodePcm16k(file, { ffmpeg: opts.ffmpeg, startSeconds: inputSamples / PCM_SAMPLE_RATE, chunkSamples: CHUNK, signal: opts.signal })) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      decoded += chunk.length;
      await opts.onOutput(await stream.push(chunk));
      inputSamples += chunk.length;
      opts.onProgress?.(inputSamples / PCM_SAMPLE_RATE);
      if (chunk.length === CHUNK && inputSamples % opts.checkpointSamples === 0) await opts.onCheckpoint({ inputSamples, snapshot: stream.snapshot() });
    }
  } catch (err) {
    // Resumed exactly at the end of the audio: ffmpeg decodes nothing past it, which is no error here.
    if (!(opts.from && decoded === 0 && (err as { code?: string }).code === 'corrupt_media' && /no audio samples/.test((err as Error).message))) throw err;
  }
  await opts.onOutput(await stream.finish());
  return { inputSamples };
}
