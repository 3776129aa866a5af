/** Whisper inference on onnxruntime-node: log-mel front end, greedy/fallback decoding, word alignment. */
export { WhisperModel } from './model';
export type { ChunkResult, ChunkSegment, ChunkWord, TranscribeChunkOptions, WhisperLoadOptions } from './types';
