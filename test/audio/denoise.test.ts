/**
 * The neural denoisers (lib/denoise/) on real speech mixed with real noise: they remove noise,
 * leave clean speech intelligible to our own ASR, carry their state across chunks (any chunking,
 * or a snapshot restored in a fresh stream, gives the one-shot output), and a file run resumes
 * from a checkpoint with the unbroken run's output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePcm16k } from '../../lib/audio';
import { DeepFilterDenoiser, splitTail } from '../../lib/denoise/deepfilter';
import { denoiseFile, type DenoiseCheckpoint } from '../../lib/denoise/denoise-file';
import { loadDenoiser } from '../../lib/denoise/load';
import { MixedStream } from '../../lib/denoise/mix';
import { mixAtSnr, siSdrDb, snrDb } from '../../lib/denoise/quality';
import type { DenoiserModel } from '../../lib/denoise/types';
import { WhisperModel } from '../../lib/whisper';
import { cacheDir, jfk } from '../helpers/models';
import { wordErrorRate } from '../helpers/wer';
import { whisperModelDir } from '../whisper/fixtures';

const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
const MODELS = ['gtcrn', 'dtln', 'deepfilternet3'];
const models: Record<string, DenoiserModel> = {};
/** The model as the chunking and snapshot tests run it (DeepFilterNet3 in short blocks). */
const blocky: Record<string, DenoiserModel> = {};
const streamed = (id: string) => blocky[id] ?? models[id];

function modelDir(id: string): string {
  const dir = path.join(cacheDir(), 'models', 'denoise', id);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run scripts/models/install-denoisers.sh (npm test does)`);
  return dir;
}

function noiseFile(name: string): string {
  const f = path.join(cacheDir(), 'noise', name);
  if (!fs.existsSync(f)) throw new Error(`${f} is missing: run scripts/models/install-noise.sh (npm test does)`);
  return f;
}

async function decode(file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const c of decodePcm16k(file, { ffmpeg })) parts.push(c);
  return join(parts);
}

function join(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function run(model: DenoiserModel, pcm: Float32Array, chunks: number[] = [pcm.length], strength = 1): Promise<Float32Array> {
  const s = new MixedStream(model, strength);
  const out: Float32Array[] = [];
  let at = 0;
  for (let i = 0; at < pcm.length; i++) {
    const n = chunks[i % chunks.length];
    out.push(await s.push(pcm.subarray(at, at + n)));
    at += n;
  }
  out.push(await s.finish());
  return join(out);
}

/**
 * Least SI-SDR gain (dB) asserted per model and noise, below what was measured (jfk at 5 dB): GTCRN
 * +7.4 on stationary noise, +4.1 on music; DTLN +8.8 on stationary noise. DTLN does not help on
 * music (measured -0.35 dB), so no gain is claimed for it there; the bench reports every pair.
 */
const SI_SDR_GAIN: Record<string, Record<string, number>> = {
  gtcrn: { 'alsa-noise.wav': 4, 'music-3.wav': 2 },
  dtln: { 'alsa-noise.wav': 4 },
  // Measured +7.9 dB on stationary noise (the same as its own runtime fed by scipy's resampler). On this
  // stretch of music it gains nothing (-0.08 dB measured), so no gain is claimed there; the bench reports every pair.
  deepfilternet3: { 'alsa-noise.wav': 5 },
};

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

let clean: Float32Array;
beforeAll(async () => {
  for (const id of MODELS) models[id] = await loadDenoiser(id, modelDir(id));
  // For the chunking and snapshot tests, blocks of 4 s instead of 30: jfk's 11 s then cross two block
  // boundaries (fresh runtime states, cross-faded), which they must see.
  blocky.deepfilternet3 = await DeepFilterDenoiser.load(modelDir('deepfilternet3'), { blockSeconds: 4 });
  clean = await decode(jfk().wav);
});
afterAll(async () => {
  for (const m of [...Object.values(models), ...Object.values(blocky)]) await m.release();
});

describe.each(MODELS)('%s', (id) => {
  it('returns exactly as many samples as it was given, whatever the chunking, and the same ones', async () => {
    const m = streamed(id);
    const noisy = mixAtSnr(clean, await decode(noiseFile('alsa-noise.wav')), 5);
    const oneShot = await run(m, noisy);
    expect(oneShot.length).toBe(noisy.length);
    // Chunk sizes that straddle the model's hop and block sizes (256/512 for GTCRN, 128/512 for DTLN).
    const chunked = await run(m, noisy, [1, 127, 129, 300, 4096, 16000, 513]);
    expect(chunked.length).toBe(noisy.length);
    expect(maxAbsDiff(oneShot, chunked)).toBeLessThan(1e-5);
  });

  it('continues from a snapshot in a fresh stream exactly as an unbroken stream does', async () => {
    const m = streamed(id);
    const noisy = mixAtSnr(clean, await decode(noiseFile('music-1.wav')), 5);
    const unbroken = await run(m, noisy, [16000], 0.7);
    const first = new MixedStream(m, 0.7);
    const a = await first.push(noisy.subarray(0, 80_000));
    // JSON round trip: what the step stores beside its parts.
    const resumed = new MixedStream(m, 0.7, JSON.parse(JSON.stringify(first.snapshot())));
    const b = await resumed.push(noisy.subarray(80_000));
    const c = await resumed.finish();
    expect(maxAbsDiff(unbroken, join([a, b, c]))).toBeLessThan(1e-5);
  });

  it('improves SI-SDR and plain SNR on real speech mixed with real noise at 5 dB', async () => {
    const m = models[id];
    for (const [noise, bound] of Object.entries(SI_SDR_GAIN[id])) {
      const noisy = mixAtSnr(clean, await decode(noiseFile(noise)), 5, 16000 * 20);
      const out = await run(m, noisy, [16000]);
      const before = siSdrDb(clean, noisy);
      const after = siSdrDb(clean, out);
      console.log(`${id} ${noise} @5 dB: SI-SDR ${before.toFixed(2)} -> ${after.toFixed(2)} dB, SNR ${snrDb(clean, noisy).toFixed(2)} -> ${snrDb(clean, out).toFixed(2)} dB`);
      expect(after - before).toBeGreaterThan(bound);
      // Plain SNR too (not scale-invariant): the models keep the speech's level while removing noise.
      expect(snrDb(clean, out)).toBeGreaterThan(snrDb(clean, noisy) + 1);
    }
  });

  it('strength 0 returns the input unchanged', async () => {
    const noisy = mixAtSnr(clean, await decode(noiseFile('alsa-noise.wav')), 10);
    expect(maxAbsDiff(await run(models[id], noisy, [16000], 0), noisy)).toBeLessThan(1e-6);
  });
});

describe('deepfilternet3 on a short clip', () => {
  it('runs its last block only to the end of the input, as one state over the whole clip (its own runtime\'s output)', async () => {
    const m = models.deepfilternet3 as DeepFilterDenoiser;
    const noisy = mixAtSnr(clean, await decode(noiseFile('alsa-noise.wav')), 5).slice(0, 4 * 16000);
    const before = m.framesRun;
    const out = await run(m, noisy, [16000]);
    const frames = m.framesRun - before;
    // 4 s are 400 frames of 480 at 48 kHz, plus the runtime's delay and the block's margin: 410.
    // Padded to a whole 30 s block it ran 3,013 (bench RTF 0.82 per ~6 s clip against 0.15 on 120 s).
    expect(frames).toBeGreaterThanOrEqual(400);
    expect(frames).toBeLessThan(420);
    expect(out.length).toBe(noisy.length);
    expect(maxAbsDiff(out, await oneState(m, noisy))).toBeLessThan(1e-6);
  });

  it('with splitEnd runs the end as two blocks at once, seamed within a stated bound of one state', async () => {
    const m = await DeepFilterDenoiser.load(modelDir('deepfilternet3'), { splitEnd: true });
    try {
      const noisy = mixAtSnr(clean, await decode(noiseFile('alsa-noise.wav')), 5).slice(0, 4 * 16000);
      const out = await run(m, noisy, [16000]);
      // Cut at 2.5 s, the second block also runs its 1 s of warm-up, plus each block's delay and margin: 523.
      expect(m.framesRun).toBeGreaterThanOrEqual(500);
      expect(m.framesRun).toBeLessThan(530);
      expect(out.length).toBe(noisy.length);
      const whole = await oneState(m, noisy);
      const cut = splitTail(0, noisy.length, 16000)[1][0];
      expect(cut).toBe(40_000);
      // Up to the cut it is the same run: the first block is that state on the same samples.
      expect(maxAbsDiff(out.subarray(0, cut), whole.subarray(0, cut))).toBeLessThan(1e-6);
      // After it, a state warmed on 1 s: close to the single state and aligned with it, not the same.
      const ref = clean.subarray(0, noisy.length);
      const seamDb = siSdrDb(whole.subarray(cut), out.subarray(cut));
      console.log(`deepfilternet3 split at ${cut}: after the cut ${seamDb.toFixed(1)} dB SI-SDR against one state; whole clip vs clean ${siSdrDb(ref, out).toFixed(2)} dB (one state ${siSdrDb(ref, whole).toFixed(2)})`);
      expect(seamDb).toBeGreaterThan(15);
      expect(Math.abs(siSdrDb(ref, out) - siSdrDb(ref, whole))).toBeLessThan(0.5);
      expect(bestLag(whole, out, cut, 4000, 40)).toBe(0);
    } finally {
      await m.release();
    }
  });

  it('runs the same samples in its forked lanes as in fresh states in this thread', async () => {
    const m = models.deepfilternet3 as DeepFilterDenoiser;
    expect(m.pool?.count).toBe(m.lanes);
    const here = await DeepFilterDenoiser.load(modelDir('deepfilternet3'), { python: null, lanes: 1 });
    try {
      expect(here.pool).toBeUndefined();
      const noisy = mixAtSnr(clean, await decode(noiseFile('music-1.wav')), 5).slice(0, 5 * 16000);
      expect(maxAbsDiff(await run(m, noisy, [16000]), await run(here, noisy, [16000]))).toBe(0);
    } finally {
      await here.release();
    }
  });
});

/** One fresh state over the whole clip, as DeepFilterNet3's own runtime runs it (the stream's 1,024 samples of end margin included). */
async function oneState(m: DeepFilterDenoiser, x: Float32Array): Promise<Float32Array> {
  const padded = new Float32Array(x.length + 1024);
  padded.set(x);
  return (await m.runBlock(padded)).subarray(0, x.length);
}

/** The lag (samples, within ±maxLag) at which y best matches x over `len` samples after `at`. */
function bestLag(x: Float32Array, y: Float32Array, at: number, len: number, maxLag: number): number {
  let best = 0;
  let bestC = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let c = 0;
    for (let i = at; i < at + len; i++) c += x[i] * (y[i + lag] ?? 0);
    if (c > bestC) [best, bestC] = [lag, c];
  }
  return best;
}

describe('deepfilternet3 cancelled inside a block', () => {
  it('stops its block when its signal aborts, not at the end of the 30 s block, and serves the next stream', async () => {
    const m = models.deepfilternet3 as DeepFilterDenoiser;
    const noisy = mixAtSnr(clean, await decode(noiseFile('alsa-noise.wav')), 5, 16000 * 35);
    const ac = new AbortController();
    const s = new MixedStream(m, 1, undefined, ac.signal);
    const before = m.framesRun;
    // 35 s in: the first 30 s block starts and runs in the background (~3,000 frames, seconds of CPU).
    await s.push(noisy);
    await new Promise((resolve) => setTimeout(resolve, 300));
    ac.abort(new Error('job cancelled'));
    await expect(s.finish()).rejects.toThrow('job cancelled');
    // Before the signal reached the frame loop the block ran to its end (3,000+ frames) and the next one started.
    expect(m.framesRun - before).toBeLessThan(2500);
    // In a lane: the forked child running the block was killed, not left to finish it.
    const child = m.pool?.lastKilledChild;
    expect(child).toBeGreaterThan(0);
    await waitUntil(() => !running(child!));
    // A new lane took the killed one's place.
    expect((await run(m, noisy.slice(0, 16000), [16000])).length).toBe(16000);
  });
});

/** A process that exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(ok()).toBe(true);
}

describe('clean speech stays intelligible (Whisper base, WER before/after)', () => {
  let whisper: WhisperModel;
  beforeAll(async () => {
    whisper = await WhisperModel.load(whisperModelDir());
  });
  afterAll(() => whisper?.release());

  it('adds at most 10 points of WER on clean real speech (jfk.wav)', async () => {
    const clip = jfk();
    const text = async (x: Float32Array) => (await whisper.transcribeChunk(x, { language: 'en' })).segments.map((s) => s.text).join('');
    const before = wordErrorRate(clip.text, await text(clean));
    for (const id of MODELS) {
      const after = wordErrorRate(clip.text, await text(await run(models[id], clean, [16000])));
      console.log(`${id} jfk.wav clean: WER ${(before * 100).toFixed(1)}% -> ${(after * 100).toFixed(1)}%`);
      expect(after).toBeLessThanOrEqual(before + 0.1);
    }
  });
});

describe('denoiseFile', () => {
  it.each(['gtcrn', 'deepfilternet3'])('%s resumes from a checkpoint with the output of an unbroken run', async (id) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-denoise-'));
    const file = path.join(dir, 'noisy.f32');
    const noisy = mixAtSnr(clean, await decode(noiseFile('music-2.wav')), 5);
    fs.writeFileSync(file, Buffer.from(noisy.buffer));
    // decodePcm16k reads any container ffmpeg knows; raw f32 needs its format named, so write a WAV.
    const wav = path.join(dir, 'noisy.wav');
    const { execFileSync } = await import('node:child_process');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'f32le', '-ar', '16000', '-ac', '1', '-i', file, '-c:a', 'pcm_f32le', wav]);
    const m = streamed(id);
    const collect = async (from?: DenoiseCheckpoint, stopAt?: number) => {
      const out: Float32Array[] = [];
      const cps: Array<{ cp: DenoiseCheckpoint; outLen: number }> = [];
      await denoiseFile(wav, {
        ffmpeg, model: m, strength: 0.9, from, checkpointSamples: 32_000,
        onOutput: async (p) => void out.push(p.slice()),
        onCheckpoint: async (cp) => {
          cps.push({ cp: JSON.parse(JSON.stringify(cp)), outLen: out.reduce((a, p) => a + p.length, 0) });
          if (stopAt && cp.inputSamples >= stopAt) throw new Error('worker crashed');
        },
      }).catch((err) => {
        if ((err as Error).message !== 'worker crashed') throw err;
      });
      return { out: join(out), cps };
    };
    const unbroken = await collect();
    expect(unbroken.out.length).toBe(noisy.length);
    expect(unbroken.cps.map((c) => c.cp.inputSamples)).toEqual([32_000, 64_000, 96_000, 128_000, 160_000]);
    const crashed = await collect(undefined, 64_000);
    const last = crashed.cps[crashed.cps.length - 1];
    const resumed = await collect(last.cp);
    const stitched = join([crashed.out.subarray(0, last.outLen), resumed.out]);
    expect(stitched.length).toBe(noisy.length);
    expect(maxAbsDiff(unbroken.out, stitched)).toBeLessThan(1e-5);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
