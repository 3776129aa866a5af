/**
 * The Whisper a streaming engine thread runs: the streaming variant of the model when installed
 * (models/whisper-stream/<id>, scripts/models/install-whisper-stream.sh: the same weights, graphs
 * that accept a window shorter than 30 s), else the catalogue's model (every window padded to 30 s).
 * Each thread gets its share of the cores for onnxruntime's intra-op pool, so N engine threads do
 * not each spin up a pool the size of the machine and contend.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WhisperModel } from '../whisper';
import { loadOnDevice, type LoadLog } from '../onnx/on-device';
import type { ChunkResult, TranscribeChunkOptions } from '../whisper/types';
import type { ThreadData } from './protocol';

/** What the recogniser needs from the model (WhisperModel provides it). */
export interface StreamAsr {
  readonly multilingual: boolean;
  /** True when trimWindow has an effect (the streaming variant is installed). */
  readonly trimmableWindow: boolean;
  detectLanguage(pcm: Float32Array, opts?: { trimWindow?: boolean }): Promise<{ language: string; probability: number }>;
  transcribeChunk(pcm: Float32Array, opts: TranscribeChunkOptions): Promise<ChunkResult>;
  /** Partials' decode when it runs on other graphs than the finals' (VOXFLOW_STREAM_PARTIAL_DECODER); else transcribeChunk. */
  transcribePartial?(pcm: Float32Array, opts: TranscribeChunkOptions): Promise<ChunkResult>;
  release(): Promise<void>;
}

export function streamModelDir(modelsDir: string, id: string): string {
  const variant = path.join(modelsDir, 'whisper-stream', id);
  return fs.existsSync(path.join(variant, 'manifest.json')) ? variant : path.join(modelsDir, 'whisper', id);
}

/** intra-op threads of one engine thread: the configured count, else the cores divided among the engine threads. */
export function engineIntraOpThreads(data: Pick<ThreadData, 'inference' | 'engineThreads'>): number {
  if (data.inference.threads) return data.inference.threads;
  return Math.max(1, Math.floor(os.availableParallelism() / Math.max(1, data.engineThreads)));
}

function loadWhisper(data: ThreadData, id: string, decoder: 'fp32' | 'int8', log: LoadLog): Promise<WhisperModel> {
  const { device, whisperBeamSize, memoryArena } = data.inference;
  const dir = streamModelDir(data.modelsDir, id);
  // Finals decode as file transcription does (its beam width); partials ask for greedy themselves.
  // On CUDA when the service's inference device says so, like the gpu workers' models.
  return loadOnDevice(device, log, `stream whisper ${id} (${decoder} decoder)`, (executionProviders) =>
    WhisperModel.load(dir, { intraOpNumThreads: engineIntraOpThreads(data), decoder, beamSize: whisperBeamSize, memoryArena, executionProviders }),
  );
}

/**
 * Finals on the service's decoder (VOXFLOW_WHISPER_DECODER: the text a client keeps, WER as file
 * transcription); partials on VOXFLOW_STREAM_PARTIAL_DECODER. int8 there is a second model in the
 * thread (same weights, the int8 decoder graph beside it) whose decoder steps are cheaper: a partial
 * is only a preview, replaced by the final's text, so its small accuracy cost buys latency at load.
 * Quiet `npm run bench -- streaming`, 2 threads: word → stable partial p50 748 → 507 ms at 1 stream,
 * 1323 → 649 ms at 4 ('behind' 11 → 6); the process RSS 1331 → 1685 MB.
 */
export async function loadStreamModel(data: ThreadData, id: string, log: LoadLog): Promise<StreamAsr> {
  const finalDecoder = data.inference.whisperDecoder;
  const partialDecoder = data.partialDecoder ?? finalDecoder;
  const final = await loadWhisper(data, id, finalDecoder, log);
  if (partialDecoder === finalDecoder) return final;
  const partial = await loadWhisper(data, id, partialDecoder, log).catch(async (err) => {
    await final.release();
    throw err;
  });
  return {
    multilingual: final.multilingual,
    trimmableWindow: final.trimmableWindow,
    detectLanguage: (pcm, opts) => final.detectLanguage(pcm, opts),
    transcribeChunk: (pcm, opts) => final.transcribeChunk(pcm, opts),
    transcribePartial: (pcm, opts) => partial.transcribeChunk(pcm, opts),
    release: async () => {
      await Promise.all([final.release(), partial.release()]);
    },
  };
}
