/** Messages between the API's event loop (lib/streaming/pool.ts) and an engine thread (thread.ts). */
import type { TranscriptPart } from '../asr/assemble';
import type { Config } from '../config';
import type { ClientMessage, RecognizerOptions } from './recognizer';

export interface ThreadData {
  modelsDir: string;
  inference: Config['inference'];
  llm: Config['llm'];
  logLevel: Config['logLevel'];
  /** Engine threads in the pool (each takes its share of the cores, stream-model.ts). */
  engineThreads: number;
  /** Decoder graph of partials (VOXFLOW_STREAM_PARTIAL_DECODER); unset: the finals' (inference.whisperDecoder). */
  partialDecoder?: 'fp32' | 'int8';
}

export type ToThread =
  | { op: 'open'; id: string; model: string; options: RecognizerOptions }
  | { op: 'audio'; id: string; pcm: Float32Array }
  | { op: 'finish'; id: string }
  | { op: 'abort'; id: string }
  /** Stop every stream, let the running decode end, release the sessions, exit. */
  | { op: 'shutdown' };

export interface StreamOutcome {
  parts: TranscriptPart[];
  language: string;
  languageProbability?: number;
  duration: number;
  model: string;
}

export type FromThread =
  | { op: 'opened'; id: string }
  | { op: 'failed'; id: string; message: string }
  | { op: 'message'; id: string; message: ClientMessage }
  | { op: 'progress'; id: string; processed: number; pendingFinal: number; lastSpeech: number }
  | { op: 'finished'; id: string; outcome: StreamOutcome };
