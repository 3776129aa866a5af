/** 16-bit mono PCM WAV as Piper writes it: float → int16, and the shared header (lib/audio/wav-header.ts). */
import { wavHeader } from '../audio/wav-header';

export { wavHeader };

/** Piper: clip(audio * 32767) as int16. */
export function toInt16(audio: Float32Array): Buffer {
  const out = Buffer.alloc(audio.length * 2);
  for (let i = 0; i < audio.length; i++) out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, audio[i])) * 32767), i * 2);
  return out;
}

/**
 * The header of a WAV sent while it is still being made: RIFF and data sizes 0xFFFFFFFF, "until the
 * end of the stream", as ffmpeg writes when its output cannot seek back (a pipe). The exact length is
 * not known up front: Piper's duration predictor samples each phoneme's length (noise_w) in the graph,
 * so a sentence's sample count exists only once it is synthesized. ffmpeg, browsers and Python's
 * `wave` read such a file to its end; the stored result carries the exact sizes.
 */
export function streamingWavHeader(sampleRate: number): Buffer {
  const h = wavHeader(sampleRate, 0);
  h.writeUInt32LE(0xffffffff, 4);
  h.writeUInt32LE(0xffffffff, 40);
  return h;
}
