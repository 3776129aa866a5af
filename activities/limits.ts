/** Limits on what a caller may send that only the decoded audio can tell (not the upload size). */
export class AudioTooLongError extends Error {
  constructor(
    readonly seconds: number,
    readonly limitSeconds: number,
  ) {
    super(
      `Anonymous requests may contain at most ${formatMinutes(limitSeconds)} of audio; this file has more. ` +
        'Use an API key to process longer audio.',
    );
    this.name = 'AudioTooLongError';
  }
}

const formatMinutes = (s: number) => (s % 60 === 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} seconds`);
