/**
 * Speech regions from per-window probabilities, with Silero's usual hysteresis: speech starts
 * above `threshold`, ends after `minSilenceMs` below `threshold - 0.15`; regions shorter than
 * `minSpeechMs` are dropped and every region is padded by `padMs`. Works incrementally.
 */
import { VAD_SAMPLE_RATE, VAD_WINDOW } from './silero';

export interface SpeechRegion {
  start: number; // seconds
  end: number;
}

export interface RegionOptions {
  threshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
  padMs: number;
  /** Regions are cut at this length so a long monologue never needs unbounded buffering. */
  maxRegionS: number;
}

// threshold 0.4 and 400 ms padding: Silero scores the first syllables after background noise low
// (0.1-0.45); at 0.5 / 200 ms the opening words of such speech were cut (measured in the benchmark).
export const DEFAULT_REGION_OPTIONS: RegionOptions = { threshold: 0.4, minSpeechMs: 250, minSilenceMs: 500, padMs: 400, maxRegionS: 29 };

const WINDOW_S = VAD_WINDOW / VAD_SAMPLE_RATE;

export class RegionTracker {
  private readonly o: RegionOptions;
  private windows = 0;
  private start: number | null = null;
  private silenceSince: number | null = null;
  /** End of the last region returned, over the whole stream: padding never reaches back past it. */
  private lastEnd = 0;
  /** Quietest window of the open region's second half so far: where a region too long is cut. */
  private dip: { t: number; p: number } | null = null;

  constructor(opts: Partial<RegionOptions> = {}) {
    this.o = { ...DEFAULT_REGION_OPTIONS, ...opts };
  }

  /** Feeds probabilities in order; returns regions that are now closed. */
  push(probs: Float32Array): SpeechRegion[] {
    const closed: SpeechRegion[] = [];
    const low = this.o.threshold - 0.15;
    for (const p of probs) {
      const t = this.windows * WINDOW_S;
      this.windows++;
      if (this.start === null) {
        if (p >= this.o.threshold) this.start = t;
        continue;
      }
      if (t - this.start >= this.o.maxRegionS) {
        // Cut where the speaker paused (the quietest window of the region's second half, when it is below
        // the threshold), as Silero's get_speech_timestamps splits at its last short silence. A cut at the
        // length limit itself falls inside a word, and that word is lost to both windows.
        const cut = this.dip && this.dip.p < this.o.threshold ? this.dip.t : t;
        // The windows from the cut to now open the next region; none can be its cut point (that lies in its second half).
        this.close(cut, closed, false);
        this.start = cut;
        continue;
      }
      if (t - this.start >= this.o.maxRegionS / 2 && (this.dip === null || p <= this.dip.p)) this.dip = { t, p };
      if (p >= low) {
        this.silenceSince = null;
        continue;
      }
      this.silenceSince ??= t;
      if ((t + WINDOW_S - this.silenceSince) * 1000 >= this.o.minSilenceMs) {
        this.close(this.silenceSince, closed);
      }
    }
    return closed;
  }

  /** Where the speech region still open began (unpadded, stream seconds), or null between regions. */
  get openSince(): number | null {
    return this.start;
  }

  /** Ends the stream: closes an open region at the end of audio. */
  finish(): SpeechRegion[] {
    const closed: SpeechRegion[] = [];
    if (this.start !== null) this.close(this.silenceSince ?? this.windows * WINDOW_S, closed);
    return closed;
  }

  private close(end: number, out: SpeechRegion[], pad = true) {
    const start = this.start!;
    this.start = null;
    this.silenceSince = null;
    this.dip = null;
    if ((end - start) * 1000 < this.o.minSpeechMs) return;
    const p = pad ? this.o.padMs / 1000 : 0;
    // Regions never overlap, even when they close in different push() calls: overlapping padding
    // put the same audio (and so the same word) into two chunks, duplicated across their boundary.
    const region = { start: Math.max(0, this.lastEnd, start - p), end: Math.min(this.windows * WINDOW_S, end + p) };
    this.lastEnd = region.end;
    out.push(region);
  }
}
