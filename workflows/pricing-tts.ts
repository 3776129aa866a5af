/** The price of POST /v1/tts (built-in-free: the workflow reserves it before the step runs). */

/** Characters per credit: one credit per started 1,000 characters of text (about a minute of speech). */
export const TTS_CHARS_PER_CREDIT = 1000;

export const ttsCredits = (chars: number) => Math.max(1, Math.ceil(chars / TTS_CHARS_PER_CREDIT));
