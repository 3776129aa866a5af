export { Client, Jobs, Keys, Transcripts, DEFAULT_BASE_URL } from './client.js';
export type { ClientOptions, JobOptions, TranscribeOptions } from './client.js';
export * from './errors.js';
export type { FileInput } from './files.js';
export { StreamSession, StreamError, streamPcm, wsUrl } from './stream.js';
export type { StreamOptions, StreamMessage, StreamResult } from './stream.js';
export type * from './types.js';
