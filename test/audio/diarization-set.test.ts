/** The diarization evaluation set: built from real recordings, and its truth matches its audio. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseRttm } from '../../lib/diarization/rttm';
import { buildDiarizationSet, diarizationCase, diarizationSet, diarizationSetDir, type DiarizationCase } from '../helpers/diarization-set';
import { durationOf } from '../helpers/media';
import { readWav16kMono } from '../helpers/wav';

const SR = 16000;
let set: DiarizationCase[];
beforeAll(() => {
  set = diarizationSet();
});

function rms(x: Float32Array, from: number, to: number): number {
  const a = Math.max(0, Math.round(from * SR));
  const z = Math.min(x.length, Math.round(to * SR));
  let s = 0;
  for (let i = a; i < z; i++) s += x[i] * x[i];
  return z > a ? Math.sqrt(s / (z - a)) : 0;
}

it('has every case, with the expected number of speakers', () => {
  const expected: Record<string, number> = {
    'two-voices': 2,
    'two-male': 2,
    'three-voices': 3,
    overlap: 2,
    single: 1,
    silence: 0,
    'four-voices-long': 4,
    'tel-tune-3-a': 3,
    'tel-tune-2-a': 2,
    'tel-tune-4-a': 4,
    'tel-tune-3-b': 3,
    'tel-tune-2-b': 2,
    'tel-tune-5': 5,
    'tel-tune-1': 1,
    'tel-val-3-a': 3,
    'tel-val-2-a': 2,
    'tel-val-3-b': 3,
    'tel-val-4-a': 4,
    'tel-val-2-b': 2,
    'tel-val-5': 5,
    'tel-val-1': 1,
  };
  expect(set.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
  for (const c of set) {
    expect([c.name, c.speakers]).toEqual([c.name, expected[c.name]]);
    expect(new Set(c.turns.map((t) => t.speaker)).size).toBe(c.speakers);
    expect(c.note.length).toBeGreaterThan(10);
  }
  expect(diarizationCase('three-voices').turns).toHaveLength(9);
  expect(diarizationCase('two-voices').turns).toHaveLength(8);
  expect(diarizationCase('silence').turns).toHaveLength(0);
  expect(diarizationCase('silence').duration).toBe(20);
  expect(diarizationCase('single').duration).toBeGreaterThanOrEqual(40);
  expect(diarizationCase('four-voices-long').duration).toBeGreaterThanOrEqual(180);
  expect(() => diarizationCase('nope')).toThrow(/no diarization case/);
});

it('stores 16 kHz mono 16-bit wavs of the stated duration, with RTTMs that parse back to the turns', () => {
  for (const c of set) {
    expect(path.dirname(c.wav)).toBe(diarizationSetDir());
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', c.wav], { encoding: 'utf8' });
    expect(probe.trim()).toBe('pcm_s16le,16000,1');
    expect(Math.abs(durationOf(c.wav) - c.duration)).toBeLessThan(1e-3);
    const back = parseRttm(fs.readFileSync(c.rttm, 'utf8'));
    expect(back).toHaveLength(c.turns.length);
    back.forEach((t, i) => {
      expect(t.speaker).toBe(c.turns[i].speaker);
      expect(Math.abs(t.start - c.turns[i].start)).toBeLessThan(1e-6);
      expect(Math.abs(t.end - c.turns[i].end)).toBeLessThan(1e-6);
    });
    for (const t of c.turns) {
      if (c.group === 'clean') expect(t.end - t.start).toBeGreaterThanOrEqual(2);
      else expect([c.name, t.end - t.start >= 1 && t.end - t.start <= 6.001]).toEqual([c.name, true]);
      expect(t.start).toBeGreaterThanOrEqual(0);
      expect(t.end).toBeLessThanOrEqual(c.duration);
    }
  }
});

const clean = () => set.filter((c) => c.group === 'clean');
const calls = () => set.filter((c) => c.group !== 'clean');

it('never gives the same speaker two turns in a row when several speak, and only the overlap case overlaps', () => {
  for (const c of clean()) {
    for (let i = 1; i < c.turns.length; i++) {
      const [a, b] = [c.turns[i - 1], c.turns[i]];
      if (c.speakers > 1) expect(b.speaker).not.toBe(a.speaker);
      if (c.name === 'overlap') expect(a.end - b.start).toBeCloseTo(0.8, 6);
      else expect(b.start - a.end).toBeCloseTo(0.6, 6);
    }
  }
});

it('has speech inside every reference turn and digital silence everywhere else', () => {
  for (const c of clean()) {
    const x = readWav16kMono(c.wav);
    expect(x.length).toBe(Math.round(c.duration * SR));
    const inside = new Uint8Array(x.length);
    for (const t of c.turns) {
      // Peak-normalised to 0.5 per turn: real speech sits well above -40 dBFS RMS.
      expect([c.name, t.start, rms(x, t.start, t.end) > 0.02]).toEqual([c.name, t.start, true]);
      // Speech is present throughout, not only somewhere: both halves of the turn carry energy.
      const mid = (t.start + t.end) / 2;
      expect(Math.min(rms(x, t.start, mid), rms(x, mid, t.end))).toBeGreaterThan(0.01);
      inside.fill(1, Math.round(t.start * SR), Math.round(t.end * SR));
    }
    let outside = 0;
    let outsideEnergy = 0;
    for (let i = 0; i < x.length; i++) {
      if (inside[i]) continue;
      outside++;
      outsideEnergy += x[i] * x[i];
    }
    expect([c.name, outsideEnergy]).toEqual([c.name, 0]);
    if (c.turns.length) expect(outside / SR).toBeGreaterThan(0.9); // lead-in, tail and the gaps exist
  }
});

it('sums two voices where the overlap case says they overlap', () => {
  const c = diarizationCase('overlap');
  const x = readWav16kMono(c.wav);
  for (let i = 1; i < c.turns.length; i++) {
    const [a, b] = [c.turns[i - 1], c.turns[i]];
    expect(b.start).toBeLessThan(a.end);
    expect(rms(x, b.start, a.end)).toBeGreaterThan(0.02);
  }
});

it('has telephone calls in a tuning and a validation group that share no voice combination', () => {
  const combo = (c: DiarizationCase) => [...new Set(c.turns.map((t) => t.speaker))].sort().join('+');
  const tuning = calls().filter((c) => c.group === 'tuning');
  const validation = calls().filter((c) => c.group === 'validation');
  expect(tuning.length).toBeGreaterThanOrEqual(6);
  expect(validation.length).toBeGreaterThanOrEqual(6);
  const tuned = new Set(tuning.map(combo));
  for (const v of validation) expect([v.name, tuned.has(combo(v))]).toEqual([v.name, false]);
  for (const g of [tuning, validation]) {
    expect(new Set(g.map((c) => c.speakers))).toEqual(new Set([1, 2, 3, 4, 5]));
    let overlaps = 0;
    for (const c of g) for (let i = 1; i < c.turns.length; i++) if (c.turns[i].start < c.turns[i - 1].end) overlaps++;
    expect(overlaps).toBeGreaterThanOrEqual(4); // a few overlaps, as in real calls
    expect(g.some((c) => /μ-law/.test(c.note)) && g.some((c) => /GSM/.test(c.note))).toBe(true);
  }
});

it('codes the calls as telephone audio: band-limited to 4 kHz, line noise between the turns', () => {
  for (const c of calls()) {
    const x = readWav16kMono(c.wav);
    expect(x.length).toBe(Math.round(c.duration * SR));
    // Energy above 4 kHz: the first difference of a band-limited signal is small next to the signal.
    let e = 0;
    let hi = 0;
    for (let i = 1; i < x.length; i++) {
      e += x[i] * x[i];
      hi += (x[i] - x[i - 1]) * (x[i] - x[i - 1]);
    }
    expect([c.name, hi / e < 0.5]).toEqual([c.name, true]);
    const gap = c.turns.findIndex((t, i) => i > 0 && t.start - c.turns[i - 1].end >= 0.3);
    const [a, b] = [c.turns[gap - 1].end, c.turns[gap].start];
    const noise = rms(x, a + 0.05, b - 0.05);
    expect([c.name, noise > 0]).toEqual([c.name, true]);
    expect([c.name, rms(x, c.turns[0].start, c.turns[0].end) / noise > 3]).toEqual([c.name, true]);
  }
});

it('rebuilds byte-identically, so the cached set matches this code', () => {
  const dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'diarization-set-rebuild');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  buildDiarizationSet(dir);
  const files = fs.readdirSync(diarizationSetDir()).sort();
  expect(fs.readdirSync(dir).sort()).toEqual(files);
  for (const f of files) {
    expect([f, fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(diarizationSetDir(), f)))]).toEqual([f, true]);
  }
});
