/** Why a file could not be used as media. `code` is stable and reaches clients. */
export type MediaErrorCode = 'empty_file' | 'not_media' | 'no_audio_stream' | 'corrupt_media' | 'unsupported_format';

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
