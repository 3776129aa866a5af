/**
 * Utterance boundaries from Silero VAD probabilities (one per 32 ms window): speech starts at the
 * first window over `onset`; it ends after `endSilenceMs` of windows under `offset` (hysteresis, so a
 * breath inside a sentence does not split it). Pure logic, fed window by window, times in samples.
 */
import { VAD_WINDOW } from '../vad/silero';

export interface EndpointerOptions {
  onset?: number;
  offset?: number;
  /** Silence that closes an utterance. */
  endSilenceMs: number;
  sampleRate: number;
}

export type EndpointEvent = { kind: 'start'; at: number } | { kind: 'end'; at: number; speechEnd: number };

export class Endpointer {
  private inSpeech = false;
  private silentWindows = 0;
  private lastSpeech = 0;
  private position = 0;
  private readonly onset: number;
  private readonly offset: number;
  private readonly endWindows: number;

  constructor(opts: EndpointerOptions) {
    this.onset = opts.onset ?? 0.5;
    this.offset = opts.offset ?? 0.35;
    this.endWindows = Math.max(1, Math.round((opts.endSilenceMs / 1000) * opts.sampleRate / VAD_WINDOW));
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  /** One window's probability; the event it completes, if any. `position` is the window's start sample. */
  push(prob: number): EndpointEvent | undefined {
    const at = this.position;
    this.position += VAD_WINDOW;
    if (!this.inSpeech) {
      if (prob >= this.onset) {
        this.inSpeech = true;
        this.silentWindows = 0;
        this.lastSpeech = at + VAD_WINDOW;
        return { kind: 'start', at };
      }
      return undefined;
    }
    if (prob < this.offset) {
      if (++this.silentWindows >= this.endWindows) {
        this.inSpeech = false;
        return { kind: 'end', at: at + VAD_WINDOW, speechEnd: this.lastSpeech };
      }
    } else {
      this.silentWindows = 0;
      this.lastSpeech = at + VAD_WINDOW;
    }
    return undefined;
  }
}
