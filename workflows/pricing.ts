/** What each step costs, in credits. Built-in-free: workflows compute reservations with it. */
import type { StepName } from './model';

/** 1 credit = 1 started minute of audio. */
export const audioCredits = (seconds: number) => Math.max(1, Math.ceil(seconds / 60 - 1e-9));

/** Text steps: 1 credit per started 4,000 characters of input (about a page and a half). */
export const textCredits = (chars: number) => Math.max(1, Math.ceil(chars / 4000));

/** Steps billed by audio length; the rest (probe, format) are free. */
const AUDIO_STEPS: ReadonlySet<StepName> = new Set(['enhance', 'transcribe', 'diarize', 'tts']);

export function stepCredits(step: StepName, audioSeconds: number): number {
  return AUDIO_STEPS.has(step) ? audioCredits(audioSeconds) : 0;
}
