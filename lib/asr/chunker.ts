/**
 * Turns a PCM stream into Whisper-sized chunks of speech: Silero VAD finds speech regions, nearby
 * regions are grouped into spans of at most `maxChunkS` seconds, and only those spans are decoded.
 * Silence is never sent to the model (no hallucinated text), and the audio held in memory is
 * bounded by about two chunks however long the file is.
 *
 * Chunks only come where there is speech, so a consumer that acts per chunk (heartbeats, resume
 * checkpoints) would hear nothing through an hour of silence: `onProgress` reports the position
 * as decoding advances, speech or not, with how far everything before is settled.
 */
import type { SileroVad } from '../vad/silero';
import { DEFAULT_REGION_OPTIONS, RegionTracker, type RegionOptions, type SpeechRegion } from '../vad/segments';
import { VAD_WINDOW } from '../vad/silero';

export const SAMPLE_RATE = 16_000;

export interface SpeechChunk {
  /** Absolute seconds in the source audio. */
  start: number;
  end: number;
  pcm: Float32Array;
  /** Speech regions inside the chunk (absolute seconds). */
  regions: SpeechRegion[];
}

export interface ChunkerOptions {
  maxChunkS?: number;
  /** Where the PCM stream starts in the source (resuming after a crash). */
  offsetS?: number;
  region?: Partial<RegionOptions>;
  /** Called after every decoded piece, between chunks (the consumer has finished every chunk yielded so far). */
  onProgress?: (p: ChunkerProgress) => void;
}

export interface ChunkerProgress {
  /** Absolute seconds of audio the VAD has scored. */
  position: number;
  /**
   * Absolute seconds before which every chunk has been yielded and no later chunk can start:
   * a resume point (nothing before it remains to be transcribed).
   */
  settled: number;
}

export async function* speechChunks(pcm: AsyncIterable<Float32Array>, vad: SileroVad, opts: ChunkerOptions = {}): AsyncGenerator<SpeechChunk> {
  const maxChunk = opts.maxChunkS ?? 30;
  const offset = opts.offsetS ?? 0;
  const stream = vad.stream();
  const regionOpts = { ...DEFAULT_REGION_OPTIONS, maxRegionS: maxChunk - 1, ...opts.region };
  const tracker = new RegionTracker(regionOpts);
  const padS = regionOpts.padMs / 1000;
  let scored = 0; // stream seconds the VAD has scored
  // Audio buffer covering [bufStart, bufStart + buf.length / SR) in stream-relative seconds.
  let buf = new Float32Array(0);
  let bufStart = 0;
  let group: SpeechRegion[] = [];

  const slice = (start: number, end: number) => {
    const a = Math.max(0, Math.round((start - bufStart) * SAMPLE_RATE));
    const b = Math.min(buf.length, Math.round((end - bufStart) * SAMPLE_RATE));
    return buf.slice(a, b);
  };
  const emit = (): SpeechChunk | undefined => {
    if (!group.length) return undefined;
    const start = group[0].start;
    const end = group[group.length - 1].end;
    const chunk = { start: start + offset, end: end + offset, pcm: slice(start, end), regions: group.map((r) => ({ start: r.start + offset, end: r.end + offset })) };
    group = [];
    return chunk;
  };
  const take = function* (regions: SpeechRegion[]) {
    for (const r of regions) {
      if (group.length && r.end - group[0].start > maxChunk) {
        const c = emit();
        if (c) yield c;
      }
      group.push(r);
    }
  };

  for await (const piece of pcm) {
    const merged = new Float32Array(buf.length + piece.length);
    merged.set(buf, 0);
    merged.set(piece, buf.length);
    buf = merged;
    const probs = await stream.push(piece);
    scored += (probs.length * VAD_WINDOW) / SAMPLE_RATE;
    yield* take(tracker.push(probs));
    // No region is open and no future region can join the pending group (it would exceed
    // maxChunk): emit the group now rather than at the next speech, which may be hours away.
    if (group.length && tracker.openSince === null && scored - group[0].start >= maxChunk) {
      const c = emit();
      if (c) yield c;
    }
    if (opts.onProgress) {
      // A region yet to open is padded back by padS, so the settled point trails the VAD by that much.
      const open = tracker.openSince;
      const settled = Math.max(0, Math.min(group.length ? group[0].start : Infinity, (open ?? scored) - padS));
      opts.onProgress({ position: scored + offset, settled: settled + offset });
    }
    // Keep audio from the earliest point still needed: the pending group, or the last maxChunk seconds
    // (an open speech region is cut by the tracker before it grows longer than that).
    const keepFrom = group.length ? group[0].start : bufStart + buf.length / SAMPLE_RATE - maxChunk - 1;
    const drop = Math.floor((keepFrom - bufStart) * SAMPLE_RATE);
    if (drop > SAMPLE_RATE) {
      buf = buf.slice(drop);
      bufStart += drop / SAMPLE_RATE;
    }
  }
  yield* take(tracker.finish());
  const last = emit();
  if (last) yield last;
}
