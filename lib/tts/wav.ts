/** 16-bit mono PCM WAV: the header for a known sample count, and float → int16 as Piper writes it. */

export function wavHeader(sampleRate: number, samples: number): Buffer {
  const h = Buffer.alloc(44);
  const data = samples * 2;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data, 40);
  return h;
}

/** Piper: clip(audio * 32767) as int16. */
export function toInt16(audio: Float32Array): Buffer {
  const out = Buffer.alloc(audio.length * 2);
  for (let i = 0; i < audio.length; i++) out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, audio[i])) * 32767), i * 2);
  return out;
}
