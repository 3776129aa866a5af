import { RealFft } from '../../lib/whisper/fft';
import { CHUNK_SAMPLES, LogMel, N_FRAMES, SAMPLE_RATE } from '../../lib/whisper/log-mel';
import { hzToMel, melFilterMatrix, melToHz } from '../../lib/whisper/mel-filters';

const N_BINS = 201;
const BIN_HZ = SAMPLE_RATE / 400;
const maxOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);
const minOf = (a: Float32Array) => a.reduce((m, v) => Math.min(m, v), Infinity);

describe('mel filterbank (Slaney, computed)', () => {
  const W = melFilterMatrix(SAMPLE_RATE, 400, 80);
  const row = (m: number) => Array.from(W.subarray(m * N_BINS, (m + 1) * N_BINS));

  test('mel scale is linear below 1 kHz, logarithmic above, and invertible', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(500)).toBeCloseTo(7.5, 12);
    for (const hz of [0, 123, 999, 1000, 2500, 8000]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 9);
    expect(hzToMel(6400) - hzToMel(1000)).toBeCloseTo(27, 9); // 27 mels per factor 6.4
  });

  test('every filter is a single non-negative triangle, peaks ascending', () => {
    let lastPeak = -1;
    for (let m = 0; m < 80; m++) {
      const r = row(m);
      expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
      const peak = r.indexOf(Math.max(...r));
      for (let k = 1; k <= peak; k++) expect(r[k]).toBeGreaterThanOrEqual(r[k - 1]);
      for (let k = peak + 1; k < N_BINS; k++) expect(r[k]).toBeLessThanOrEqual(r[k - 1]);
      expect(peak).toBeGreaterThanOrEqual(lastPeak);
      lastPeak = peak;
    }
  });

  test('Slaney normalisation: each triangle has unit area in Hz (up to bin sampling)', () => {
    for (let m = 0; m < 80; m++) {
      const r = row(m);
      const area = r.reduce((a, w) => a + w, 0) * BIN_HZ;
      // Narrow high-mel-density filters span 1–4 bins, so their sampled area is only roughly 1.
      expect(Math.abs(area - 1)).toBeLessThan(r.filter((w) => w > 0).length >= 5 ? 0.02 : 0.1);
    }
  });

  test('the filter centred nearest 1 kHz peaks at the 1 kHz bin', () => {
    const centres = Array.from({ length: 80 }, (_, m) => melToHz((hzToMel(8000) * (m + 1)) / 81));
    const m = centres.reduce((best, c, i) => (Math.abs(c - 1000) < Math.abs(centres[best] - 1000) ? i : best), 0);
    const r = row(m);
    expect(r.indexOf(Math.max(...r))).toBe(Math.round(1000 / BIN_HZ));
  });
});

describe('real FFT', () => {
  test.each([400, 200, 30, 12])('power spectrum of size %i matches a direct DFT', (n) => {
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13 - 0.5);
    const got = new Float64Array(n / 2 + 1);
    new RealFft(n).powerSpectrum(x, got);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0, im = 0;
      for (let t = 0; t < n; t++) { re += x[t] * Math.cos((2 * Math.PI * k * t) / n); im -= x[t] * Math.sin((2 * Math.PI * k * t) / n); }
      expect(Math.abs(got[k] - (re * re + im * im))).toBeLessThan(1e-9 * (1 + re * re + im * im));
    }
  });
});

describe('log-mel spectrogram', () => {
  const lm = new LogMel(80);

  test('a 1 kHz tone lights up the mel band around 1 kHz; padding sits at the floor', () => {
    const seconds = 5;
    const pcm = Float32Array.from({ length: seconds * SAMPLE_RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / SAMPLE_RATE));
    const mel = lm.compute(pcm);
    expect(mel.length).toBe(80 * N_FRAMES);
    const band = (m: number) => mel[m * N_FRAMES + 200]; // a frame well inside the tone
    let best = 0;
    for (let m = 1; m < 80; m++) if (band(m) > band(best)) best = m;
    const lo = hzToMel(melToHz((hzToMel(8000) * best) / 81));
    const hi = hzToMel(melToHz((hzToMel(8000) * (best + 2)) / 81));
    expect(hzToMel(1000)).toBeGreaterThan(lo);
    expect(hzToMel(1000)).toBeLessThan(hi);
    const max = maxOf(mel);
    const floor = max - 2; // (max - 8 + 4) / 4 = max_normalised - 2
    expect(mel[30 * N_FRAMES + 2900]).toBeCloseTo(floor, 6); // 29 s: zero padding
  });

  test('all-zero input maps to the constant -1.5 (log10(1e-10) clamped, then scaled)', () => {
    const mel = lm.compute(new Float32Array(SAMPLE_RATE));
    expect(minOf(mel)).toBeCloseTo(-1.5, 6);
    expect(maxOf(mel)).toBeCloseTo(-1.5, 6);
  });

  test('input longer than 30 s is trimmed, not wrapped', () => {
    const long = new Float32Array(CHUNK_SAMPLES + 16000).fill(0);
    long.fill(0.3, CHUNK_SAMPLES); // only the part past 30 s is loud
    expect(maxOf(lm.compute(long))).toBeCloseTo(-1.5, 6);
  });
});
