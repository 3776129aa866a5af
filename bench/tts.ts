/**
 * `npm run bench -- tts`: POST /v1/tts's engine (lib/tts: Piper en_US-joe-medium in onnxruntime-node,
 * espeak-ng phonemes) beside Piper's own runtime (piper-tts 1.8, same voice files, its bundled
 * espeak-ng; scripts/bench/install-piper-peer.sh) and plain espeak-ng (formant synthesis), on:
 *
 *   - texts: the LibriVox reader's transcripts (pocketsphinx-testdata; real book sentences) and the
 *     first Harvard sentence list (IEEE 1969, phonetically balanced), one request each;
 *   - real-time factor: synthesis seconds / audio seconds (voice load excluded; reported apart);
 *   - intelligibility: WER of our ASR (Whisper base, greedy, English) on each output against its text;
 *   - speaker similarity: cosine of CAM++ embeddings (lib/diarization/embedder.ts) between each output
 *     and the 7.1 s reference clip of the LibriVox reader. No system here clones: this is the honest
 *     measure of how far the output is from the reference voice. Anchors from the same embedder:
 *     the reader's other clips against the reference (same speaker) and jfk against it (another).
 *
 * Timing: BENCH_TTS_ROUNDS (default 2) interleaved rounds of ours, Piper's runtime and ours with the
 * onnxruntime arena off (the service default before), threads BENCH_THREADS (default 2) on every side;
 * best round and every round reported, with the time to the first sentence of a 10-sentence text
 * (Harvard list 1 as one text: what a streamed POST /v1/tts waits before its first audio, less the
 * storage round trip) and to its end. The machine's load is recorded.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePcm16k } from '../lib/audio';
import { SpeakerEmbedder } from '../lib/diarization/embedder';
import { dot } from '../lib/diarization/vectors';
import { createLogger } from '../lib/log';
import { loadConfig } from '../lib/config';
import { ModelEngines } from '../lib/asr/engines';
import { ModelRegistry } from '../lib/models/registry';
import { PiperVoice } from '../lib/tts/piper';
import { synthesizeSentences, synthesizeToWav } from '../lib/tts/synthesize';
import { cacheDir, jfk, librivox, speakerModelDir } from '../test/helpers/models';
import { wordErrorRate } from '../test/helpers/wer';
import { round } from './stats';

const VOICE = 'en_US-joe-medium';
/** How ours calls espeak-ng: the service's setting (VOXFLOW_TTS_PHONEMIZER; the program by default). */
const PHONEMIZER = loadConfig().tts.phonemizer;
const HARVARD_1 = [
  'The birch canoe slid on the smooth planks.',
  'Glue the sheet to the dark blue background.',
  "It's easy to tell the depth of a well.",
  'These days a chicken leg is a rare dish.',
  'Rice is often served in round bowls.',
  'The juice of lemons makes fine punch.',
  'The box was thrown beside the parked truck.',
  'The hogs were fed chopped corn and garbage.',
  'Four hours of steady work faced us.',
  'A large size in stockings is hard to sell.',
];
const say = (s: string) => process.stderr.write(`[bench tts] ${s}\n`);
const load = () => os.loadavg().map((x) => round(x, 2));

interface Item {
  text: string;
  out: string;
  synthS: number;
  audioS: number;
}

async function pcm16k(file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const c of decodePcm16k(file, { ffmpeg: 'ffmpeg' })) parts.push(c);
  const all = new Float32Array(parts.reduce((n, c) => n + c.length, 0));
  parts.reduce((o, c) => (all.set(c, o), o + c.length), 0);
  return all;
}

/** Time to the first sentence's audio and to the last, for one text (what a streamed response waits on). */
async function streamTiming(voice: PiperVoice, text: string): Promise<{ firstS: number; totalS: number; audioS: number }> {
  const t = performance.now();
  let firstS = NaN;
  let samples = 0;
  for await (const { audio } of synthesizeSentences(voice, text, { espeak: 'espeak-ng', phonemizer: PHONEMIZER })) {
    if (Number.isNaN(firstS)) firstS = (performance.now() - t) / 1000;
    samples += audio.length;
  }
  return { firstS, totalS: (performance.now() - t) / 1000, audioS: samples / voice.sampleRate };
}

type Timed = { items: Item[]; loadS: number; stream?: { firstS: number; totalS: number; audioS: number } };

export async function benchTts(opts: { threads: number; rounds?: number }) {
  const loadBefore = load();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tts-'));
  const clips = librivox();
  const reference = clips.find((c) => c.wav.endsWith('-0870.wav'))!;
  const texts = [...clips.filter((c) => c !== reference).map((c) => c.text), ...HARVARD_1];
  const streamText = HARVARD_1.join(' ');
  const voiceDir = path.join(cacheDir(), 'models', 'tts', VOICE);
  const rounds = Math.max(1, opts.rounds ?? 2);

  const oursRun = async (tag: string, settings: { memoryArena?: boolean }, keep: boolean): Promise<Timed> => {
    let t = performance.now();
    const voice = await PiperVoice.load(voiceDir, { intraOpNumThreads: opts.threads, ...settings });
    const loadS = (performance.now() - t) / 1000;
    const items: Item[] = [];
    for (const [i, text] of texts.entries()) {
      const out = path.join(work, keep ? `${tag}-${i}.wav` : `${tag}-scratch.wav`);
      t = performance.now();
      const r = await synthesizeToWav(voice, text, out, { espeak: 'espeak-ng', phonemizer: PHONEMIZER });
      items.push({ text, out, synthS: (performance.now() - t) / 1000, audioS: r.seconds });
    }
    const stream = await streamTiming(voice, streamText);
    await voice.release();
    return { items, loadS, stream };
  };
  const python = execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'bench', 'install-piper-peer.sh')], { encoding: 'utf8' }).trim();
  const peerRun = (keep: boolean): Timed => {
    const req = {
      model: path.join(voiceDir, `${VOICE}.onnx`),
      threads: opts.threads,
      items: texts.map((text, i) => ({ text, out: path.join(work, keep ? `piper-${i}.wav` : `piper-scratch-${i}.wav`) })),
      stream: { text: streamText },
    };
    const peer = JSON.parse(execFileSync(python, [path.join(__dirname, 'peer', 'piper_tts_peer.py')], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 1 << 24 })) as {
      load_s: number;
      items: Array<{ out: string; synth_s: number; audio_s: number }>;
      stream: { first_s: number; total_s: number; audio_s: number };
    };
    return {
      items: peer.items.map((p, i) => ({ text: texts[i], out: p.out, synthS: p.synth_s, audioS: p.audio_s })),
      loadS: peer.load_s,
      stream: { firstS: peer.stream.first_s, totalS: peer.stream.total_s, audioS: peer.stream.audio_s },
    };
  };

  // Interleaved rounds (ours, Piper, ours with the arena off as the service had it), so a change in the
  // shared machine's load falls on every side alike; each side's best round is reported, the first
  // round's WAVs are scored.
  const names = {
    ours: `voxflow (lib/tts, Piper ${VOICE})`,
    piper: `Piper's own runtime (piper-tts 1.8, ${VOICE})`,
    arenaOff: `voxflow, onnxruntime arena off (before)`,
  };
  const runs: Record<string, Timed[]> = { [names.ours]: [], [names.piper]: [], [names.arenaOff]: [] };
  for (let r = 0; r < rounds; r++) {
    say(`round ${r + 1}/${rounds}: ours, piper-tts peer, ours with the arena off (load ${load().join(' ')})`);
    runs[names.ours].push(await oursRun('ours', {}, r === 0));
    runs[names.piper].push(peerRun(r === 0));
    runs[names.arenaOff].push(await oursRun('arena-off', { memoryArena: false }, false));
  }
  const rtf = (x: Timed) => x.items.reduce((a, b) => a + b.synthS, 0) / x.items.reduce((a, b) => a + b.audioS, 0);
  const timing: Array<Record<string, string | number>> = Object.entries(runs).map(([system, rs]) => {
    const best = rs.reduce((a, b) => (rtf(b) < rtf(a) ? b : a));
    const st = rs.map((x) => x.stream!).reduce((a, b) => (b.firstS < a.firstS ? b : a));
    return {
      system,
      rounds: rs.length,
      'RTF best': round(rtf(best), 3),
      'RTF each': rs.map((x) => round(rtf(x), 3)).join(' / '),
      'load s': round(best.loadS, 2),
      '10-sentence text: first sentence s': round(st.firstS, 2),
      'all s': round(st.totalS, 2),
      'audio s': round(st.audioS, 1),
    };
  });
  const systems: Record<string, { items: Item[]; loadS: number }> = { [names.ours]: runs[names.ours][0], [names.piper]: runs[names.piper][0] };
  const loadTimed = load();

  say('espeak-ng');
  const espeak: Item[] = [];
  for (const [i, text] of texts.entries()) {
    const out = path.join(work, `espeak-${i}.wav`);
    const t = performance.now();
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', out, text]);
    const synthS = (performance.now() - t) / 1000;
    const audioS = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out], { encoding: 'utf8' }).trim());
    espeak.push({ text, out, synthS, audioS });
  }
  systems['espeak-ng 1.51 (Debian, formant)'] = { items: espeak, loadS: 0 };

  say('scoring: Whisper base + CAM++');
  const config = loadConfig({ VOXFLOW_INFERENCE_THREADS: String(opts.threads), LOG_LEVEL: 'warn' });
  const engines = new ModelEngines(new ModelRegistry(config.modelsDir), config, createLogger(config, 'bench-tts'));
  const asr = await engines.recognizer('base');
  const embedder = await SpeakerEmbedder.load(speakerModelDir(), { intraOpNumThreads: opts.threads });
  const [refEmb] = await embedder.embed([await pcm16k(reference.wav)]);
  const similarity = async (file: string) => dot(refEmb, (await embedder.embed([await pcm16k(file)]))[0]);

  const rows: Array<Record<string, string | number>> = [];
  const perText: Array<Record<string, string | number>> = [];
  for (const [name, s] of Object.entries(systems)) {
    let errors = 0;
    let words = 0;
    const sims: number[] = [];
    for (const [i, it] of s.items.entries()) {
      const heard = (await asr.transcribeChunk(await pcm16k(it.out), { language: 'en' })).segments.map((x) => x.text).join(' ');
      const n = it.text.split(/\s+/).length;
      const w = wordErrorRate(it.text, heard);
      errors += w * n;
      words += n;
      const sim = await similarity(it.out);
      sims.push(sim);
      perText.push({ system: name.split(' ')[0], text: i, wer: round(w, 3), similarity: round(sim, 3), rtf: round(it.synthS / it.audioS, 3), heard: heard.trim().slice(0, 60) });
    }
    const synth = s.items.reduce((a, b) => a + b.synthS, 0);
    const audio = s.items.reduce((a, b) => a + b.audioS, 0);
    rows.push({
      system: name,
      texts: s.items.length,
      'audio s': round(audio, 1),
      RTF: round(synth / audio, 3),
      'load s': round(s.loadS, 2),
      'WER %': round((100 * errors) / words, 2),
      'spk sim (mean)': round(sims.reduce((a, b) => a + b, 0) / sims.length, 3),
      'spk sim (max)': round(Math.max(...sims), 3),
    });
  }
  // Anchors: what the same embedder says for the reader's own other clips, and for another real speaker.
  const same: number[] = [];
  for (const c of clips.filter((c) => c !== reference)) same.push(await similarity(c.wav));
  const other = await similarity(jfk().wav);
  rows.push({ system: 'anchor: same real reader, other clips', texts: same.length, 'audio s': '-', RTF: '-', 'load s': '-', 'WER %': '-', 'spk sim (mean)': round(same.reduce((a, b) => a + b, 0) / same.length, 3), 'spk sim (max)': round(Math.max(...same), 3) });
  rows.push({ system: 'anchor: another real speaker (jfk)', texts: 1, 'audio s': '-', RTF: '-', 'load s': '-', 'WER %': '-', 'spk sim (mean)': round(other, 3), 'spk sim (max)': round(other, 3) });
  await embedder.release();
  await engines.release();
  fs.rmSync(work, { recursive: true, force: true });
  return {
    config: { threads: opts.threads, voice: VOICE, reference: path.basename(reference.wav), texts: texts.length, asr: 'whisper base (greedy, en)', embedder: 'CAM++ campplus-cn-en-common' },
    tables: { timing, summary: rows, perText },
    machine: { loadBefore, loadAfterTiming: loadTimed, loadAfter: load() },
  };
}
