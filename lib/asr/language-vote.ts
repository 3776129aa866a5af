/**
 * The spoken language of a whole file, by a vote over windows spread across it: a file that opens
 * with music, silence or a greeting in another language is labelled by what most of it is in.
 * Each window contributes the speech the VAD finds in it (up to one Whisper window); its vote is the
 * detected language, weighted by its probability and its seconds of speech. The reported
 * probability is the winner's weighted share of all the speech heard, so a split file reads as
 * uncertain.
 */
import { decodePcm16k } from '../audio';
import type { SileroVad } from '../vad/silero';
import { SAMPLE_RATE, speechChunks } from './chunker';
import type { SpeechRecognizer } from './types';

export interface LanguageWindow {
  /** Where the window starts in the file (seconds). */
  at: number;
  language: string;
  probability: number;
  speechSeconds: number;
}

export interface LanguageVote {
  language: string;
  probability: number;
  windows: LanguageWindow[];
}

export interface VoteOptions {
  file: string;
  durationSeconds: number;
  ffmpeg: string;
  /** Windows sampled across the file (fewer for short files). */
  windows?: number;
  windowSeconds?: number;
  signal?: AbortSignal;
}

/** Speech shorter than this in a window says too little to vote. */
const MIN_SPEECH_S = 1;

/** Window starts: the file's start alone when it fits about one window, else evenly spread to its end. */
export function windowStarts(durationSeconds: number, windows: number, windowSeconds: number): number[] {
  if (durationSeconds <= windowSeconds * 1.5) return [0];
  const n = Math.max(2, Math.min(windows, Math.ceil(durationSeconds / windowSeconds)));
  const last = durationSeconds - windowSeconds;
  return Array.from({ length: n }, (_, i) => Math.round(((last * i) / (n - 1)) * 1000) / 1000);
}

/** Weighted vote over windows; null when no window held enough speech. */
export function tally(windows: LanguageWindow[]): LanguageVote | null {
  const heard = windows.reduce((a, w) => a + w.speechSeconds, 0);
  if (!heard) return null;
  const score = new Map<string, number>();
  for (const w of windows) score.set(w.language, (score.get(w.language) ?? 0) + w.probability * w.speechSeconds);
  const [language, best] = [...score.entries()].sort((a, b) => b[1] - a[1])[0];
  return { language, probability: best / heard, windows };
}

export async function voteLanguage(
  recognizer: Pick<SpeechRecognizer, 'detectLanguage'>,
  vad: SileroVad,
  opts: VoteOptions,
): Promise<LanguageVote | null> {
  const windowSeconds = opts.windowSeconds ?? 30;
  const windows: LanguageWindow[] = [];
  for (const at of windowStarts(opts.durationSeconds, opts.windows ?? 5, windowSeconds)) {
    opts.signal?.throwIfAborted();
    const speech: Float32Array[] = [];
    let samples = 0;
    const pcm = decodePcm16k(opts.file, { ffmpeg: opts.ffmpeg, startSeconds: at, maxSeconds: windowSeconds, chunkSamples: SAMPLE_RATE * 5, signal: opts.signal });
    for await (const chunk of speechChunks(pcm, vad)) {
      speech.push(chunk.pcm);
      samples += chunk.pcm.length;
    }
    if (samples < MIN_SPEECH_S * SAMPLE_RATE) continue;
    const joined = new Float32Array(Math.min(samples, SAMPLE_RATE * 30));
    let o = 0;
    for (const s of speech) {
      if (o >= joined.length) break;
      joined.set(s.subarray(0, joined.length - o), o);
      o += Math.min(s.length, joined.length - o);
    }
    const d = await recognizer.detectLanguage(joined);
    windows.push({ at, language: d.language, probability: d.probability, speechSeconds: joined.length / SAMPLE_RATE });
  }
  return tally(windows);
}
