/** Objective quality of an estimate against the clean reference (same length, same alignment). */

/** Plain SNR in dB: reference power over the power of (estimate − reference). */
export function snrDb(reference: Float32Array, estimate: Float32Array): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < reference.length; i++) {
    s += reference[i] ** 2;
    e += (estimate[i] - reference[i]) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1e-20));
}

/**
 * Scale-invariant SDR (Le Roux et al. 2019), zero-mean: the estimate is projected on the
 * reference, so a gain change (loudness normalisation) neither helps nor hurts.
 */
export function siSdrDb(reference: Float32Array, estimate: Float32Array): number {
  const n = Math.min(reference.length, estimate.length);
  let mr = 0;
  let me = 0;
  for (let i = 0; i < n; i++) {
    mr += reference[i];
    me += estimate[i];
  }
  mr /= n;
  me /= n;
  let dot = 0;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    dot += (estimate[i] - me) * (reference[i] - mr);
    rr += (reference[i] - mr) ** 2;
  }
  const a = dot / Math.max(rr, 1e-20);
  let t = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const target = a * (reference[i] - mr);
    t += target ** 2;
    d += (estimate[i] - me - target) ** 2;
  }
  return 10 * Math.log10(t / Math.max(d, 1e-20));
}

/** clean + noise scaled to the SNR (dB); the noise is looped or cut to the speech's length. */
export function mixAtSnr(clean: Float32Array, noise: Float32Array, snr: number, noiseOffset = 0): Float32Array {
  const n = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) n[i] = noise[(noiseOffset + i) % noise.length];
  const pc = clean.reduce((a, x) => a + x * x, 0);
  const pn = n.reduce((a, x) => a + x * x, 0);
  const g = Math.sqrt(pc / Math.max(pn, 1e-20) / 10 ** (snr / 10));
  return Float32Array.from(clean, (x, i) => x + g * n[i]);
}
