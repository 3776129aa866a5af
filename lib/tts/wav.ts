/** 16-bit mono PCM WAV as Piper writes it: float → int16, and the shared header (lib/audio/wav-header.ts). */
export { wavHeader } from '../audio/wav-header';

/** Piper: clip(audio * 32767) as int16. */
export function toInt16(audio: Float32Array): Buffer {
  const out = Buffer.alloc(audio.length * 2);
  for (let i = 0; i < audio.length; i++) out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, audio[i])) * 32767), i * 2);
  return out;
}
