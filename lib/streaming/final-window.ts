/**
 * The audio a stream's final decode gives Whisper: the utterance followed by zero padding, on the
 * trimmed window of the streaming graphs (lib/whisper trimWindow adds its own 1 s). Whisper was
 * trained on 30 s windows padded with silence: the padded 30 s window is exact but its encoder costs
 * the same for a 2 s utterance as for 30 s (4.8 s per final on this machine, loaded), and queued
 * before the next utterance's partials it was the largest share of their latency. Trimmed to the
 * audio + 1 s a short utterance lost words (WER 4.3% vs 2.2% over jfk + LibriVox cut by the stream's
 * endpointing); with 8 s of silence after the audio the finals matched the padded window's words
 * exactly, at 0.7 s per final (bench/streaming-final-window.ts, loaded, 2 intra-op threads).
 */
import { STREAM_SAMPLE_RATE as SR } from './pcm';

/** Silence after the utterance, beyond lib/whisper's own 1 s trim margin (so audio + 8 s in all). */
export const FINAL_PAD_SECONDS = 7;
const WINDOW = 30 * SR;

/** The utterance padded for a trimmed-window final; unchanged when the graphs only take 30 s (they pad). */
export function finalWindow(pcm: Float32Array, trimmable: boolean): Float32Array {
  if (!trimmable) return pcm;
  const pad = Math.max(0, Math.min(FINAL_PAD_SECONDS * SR, WINDOW - pcm.length));
  if (pad === 0) return pcm;
  const out = new Float32Array(pcm.length + pad);
  out.set(pcm, 0);
  return out;
}
