/** What a request costs, in credits. Built-in-free: workflows compute reservations with it. */
import type { StepName } from './model';

/** 1 credit = 1 started minute of audio. */
export const audioCredits = (seconds: number) => Math.max(1, Math.ceil(seconds / 60 - 1e-9));

/** Text steps: 1 credit per started 4,000 characters of input (about a page and a half). */
export const textCredits = (chars: number) => Math.max(1, Math.ceil(chars / 4000));

/** Steps billed by audio length; the rest (probe, format) are free. */
const AUDIO_STEPS: ReadonlySet<StepName> = new Set(['enhance', 'transcribe', 'diarize', 'tts']);

/**
 * The price of one step on its own. Jobs started before the one-price-per-request change (see
 * `requestShares`) keep replaying with it: transcribe and diarize each cost ⌈minutes⌉ there.
 */
export function stepCredits(step: StepName, audioSeconds: number): number {
  return AUDIO_STEPS.has(step) ? audioCredits(audioSeconds) : 0;
}

/**
 * The contract: "1 credit = 1 minute of audio, rounded up" for the request, whatever it includes
 * (a transcription with diarization costs the same as one without). `audioSeconds` is the decoded
 * length (what the audio really holds), never the container's claim.
 *
 * The price is split across the request's billed steps as follows: the first billed step carries
 * all of it and every later one 0. Each step keeps its own ledger entries (a zero reservation and
 * settlement for the later ones), so usage per step still shows what ran. Charging up front means
 * the whole price is reserved before any GPU work: an account that can pay for the request gets
 * all of it (the speakers too), and one that cannot is refused before anything runs. A later step
 * that fails (diarization, which leaves the transcript standing) had nothing reserved, so it
 * changes nothing; if the first step fails the job fails and its reservation is refunded.
 */
export function requestShares(steps: readonly StepName[], audioSeconds: number): Partial<Record<StepName, number>> {
  const billed = steps.filter((s) => AUDIO_STEPS.has(s));
  return Object.fromEntries(billed.map((s, i) => [s, i === 0 ? audioCredits(audioSeconds) : 0]));
}
