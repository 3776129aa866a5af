/** Wire audio of WS /v1/stream: 16-bit signed little-endian PCM, 16 kHz, mono (the contract's format). */
export const STREAM_SAMPLE_RATE = 16_000;

/** Int16 LE bytes → float samples in [-1, 1). The caller has checked the length is even. */
export function int16leToFloat32(bytes: Uint8Array): Float32Array {
  const n = bytes.length >> 1;
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}
