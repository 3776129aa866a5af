/**
 * A diarization evaluation set assembled from real recordings of different people shipped in Debian
 * packages (scripts/models/install-speech-samples.sh installs them), so the truth is known exactly
 * without shipping or downloading audio. Speakers:
 *  - LIB:  LibriVox reader of "Sense and Sensibility" (male), pocketsphinx-testdata librivox/*.wav
 *  - DHD:  pocketsphinx test recordings goforward/numbers/something.raw + tidigits/dhd.2934z.raw (male)
 *  - JUNE: fr-CA voice prompts "June" (female, French), asterisk-core-sounds-fr-wav
 *  - ALSA: alsa-utils' speaker-test voice, /usr/share/sounds/alsa/*.wav (female, English)
 * Each voice is cut into utterances by a plain energy detector (no model, so the truth does not depend on
 * anything under test); turns are built from consecutive utterances of one voice and laid out with
 * digital silence (or summed, for overlap) between them. Built once, deterministically, and cached.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { formatRttm } from '../../lib/diarization/rttm';
import type { SpeakerTurn } from '../../lib/diarization/types';
import { seededRandom } from '../../lib/whisper/math';
import { cacheDir } from './models';

export interface DiarizationCase {
  name: string;
  wav: string;
  rttm: string;
  turns: SpeakerTurn[];
  speakers: number;
  duration: number;
  note: string;
}

/** Cases too long for the test suite; the benchmark runs them. */
export const BENCH_ONLY_CASES = ['four-voices-long'];

/** Bump when anything below changes the audio or the truth, so stale caches are never scored against. */
const VERSION = 'v1';
const SR = 16000;
/** Turn positions are kept on whole milliseconds so the RTTM (3 decimals) is the exact truth. */
const MS = SR / 1000;

export const diarizationSetDir = () => path.join(cacheDir(), 'diarization-set', VERSION);

const PS = '/usr/share/pocketsphinx/test/data';
const JUNE_DIR = '/usr/share/asterisk/sounds/fr_CA_f_June';
const JUNE_SCRIPTS = '/usr/share/doc/asterisk-core-sounds-fr/core-sounds-fr.txt.gz';

interface Source {
  file: string;
  /** Headerless s16le mono at this rate; undefined when ffmpeg can read the header. */
  rawRate?: number;
}

type VoiceName = 'LIB' | 'DHD' | 'JUNE' | 'ALSA';

const sorted = (dir: string, re: RegExp) => fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f));

const VOICES: Record<VoiceName, () => Source[]> = {
  LIB: () => sorted(`${PS}/librivox`, /\.wav$/).map((file) => ({ file })),
  DHD: () => [`${PS}/goforward.raw`, `${PS}/numbers.raw`, `${PS}/something.raw`, `${PS}/tidigits/dhd.2934z.raw`].map((file) => ({ file, rawRate: 16000 })),
  // Only prompts whose script is a real sentence (>= 6 words): skips tones, beeps and single words.
  JUNE: () => {
    const index = zlib.gunzipSync(fs.readFileSync(must(JUNE_SCRIPTS))).toString('utf8');
    return index
      .split('\n')
      .map((l) => /^([a-z0-9-]+):\s*(.*)$/i.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m && !/^[[(]/.test(m[2]) && m[2].split(/\s+/).length >= 6)
      .map((m) => path.join(JUNE_DIR, `${m[1]}.wav`))
      .filter((f) => fs.existsSync(f))
      .sort()
      .map((file) => ({ file }));
  },
  ALSA: () => sorted('/usr/share/sounds/alsa', /^(Front|Rear|Side)_\w+\.wav$/).map((file) => ({ file })),
};

function must(p: string): string {
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run scripts/models/install-speech-samples.sh (npm test does)`);
  return p;
}

function decode(src: Source): Float32Array {
  const input = src.rawRate ? ['-f', 's16le', '-ar', String(src.rawRate), '-ac', '1', '-i', must(src.file)] : ['-i', must(src.file)];
  const buf = execFileSync('ffmpeg', ['-nostdin', '-v', 'error', ...input, '-ac', '1', '-ar', String(SR), '-f', 'f32le', '-'], {
    maxBuffer: 1 << 30,
  });
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/**
 * Energy detector: 30 ms frames, speech within 30 dB of the loudest frame, gaps < 0.3 s merged, pieces
 * < 0.3 s dropped, 50 ms padding. Exported so tests can check the truth the set is built from.
 */
export function energyUtterances(x: Float32Array): Float32Array[] {
  const frame = Math.round(0.03 * SR);
  const n = Math.floor(x.length / frame);
  const rms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * frame; k < (i + 1) * frame; k++) s += x[k] * x[k];
    rms[i] = Math.sqrt(s / frame);
  }
  const threshold = rms.reduce((m, v) => (v > m ? v : m), 0) * 10 ** (-30 / 20);
  if (threshold === 0) return [];
  const segs: Array<[number, number]> = []; // frame ranges [a, z)
  for (let i = 0; i < n; i++) {
    if (rms[i] < threshold) continue;
    const last = segs[segs.length - 1];
    if (last && (i - last[1]) * 0.03 < 0.3) last[1] = i + 1;
    else segs.push([i, i + 1]);
  }
  const pad = Math.round(0.05 * SR);
  return segs
    .filter(([a, z]) => (z - a) * 0.03 >= 0.3)
    .map(([a, z]) => x.slice(Math.max(0, a * frame - pad), Math.min(x.length, z * frame + pad)));
}

const uttCache = new Map<string, Float32Array[]>();
const utterancesOf = (src: Source) => {
  if (!uttCache.has(src.file)) uttCache.set(src.file, energyUtterances(decode(src)));
  return uttCache.get(src.file)!;
};

/**
 * Utterances of one voice in a fixed order, decoded lazily (JUNE has hundreds of prompts and a case needs
 * a few), starting over (and remembering it) when the voice runs out.
 */
class Voice {
  private file = 0;
  private utt = 0;
  wrapped = false;
  constructor(readonly name: VoiceName, private readonly sources: Source[]) {
    if (sources.length === 0) throw new Error(`no recordings found for voice ${name}`);
  }
  next(): Float32Array {
    for (let tries = 0; tries <= this.sources.length; tries++) {
      const utts = utterancesOf(this.sources[this.file]);
      if (this.utt < utts.length) {
        return utts[this.utt++];
      }
      this.utt = 0;
      this.file = (this.file + 1) % this.sources.length;
      if (this.file === 0) this.wrapped = true;
    }
    throw new Error(`no speech found in any recording of voice ${this.name}`);
  }
  /** Seconds of distinct speech this voice had, once it has wrapped. */
  get available(): number {
    return this.sources.reduce((s, src) => s + utterancesOf(src).reduce((a, u) => a + u.length, 0), 0) / SR;
  }
}

const voice = (name: VoiceName) => new Voice(name, VOICES[name]());

/** Utterances joined by 0.2 s pauses until at least `minSeconds`, peak-normalised so no voice dominates. */
function makeTurn(v: Voice, minSeconds: number): Float32Array {
  const parts: Float32Array[] = [];
  const pause = Math.round(0.2 * SR);
  let len = 0;
  while (len < minSeconds * SR) {
    const u = v.next();
    if (parts.length) len += pause;
    parts.push(u);
    len += u.length;
  }
  const out = new Float32Array(Math.ceil(len / MS) * MS);
  let at = 0;
  let peak = 0;
  for (const u of parts) {
    out.set(u, at);
    at += u.length + pause;
  }
  for (let k = 0; k < out.length; k++) {
    const a = out[k] < 0 ? -out[k] : out[k];
    if (a > peak) peak = a;
  }
  if (peak > 0) for (let k = 0; k < out.length; k++) out[k] *= 0.5 / peak;
  return out;
}

interface TurnPlan {
  voice: Voice;
  minSeconds: number;
  /** Seconds of silence before this turn; negative = starts that long before the previous turn ends. */
  gap: number;
}

interface Built {
  audio: Float32Array;
  turns: SpeakerTurn[];
}

const LEAD = 0.5;

/**
 * Lays turns out on a timeline (summing where they overlap); positions stay on whole milliseconds.
 * `plan` gives the next turn given how many seconds are laid out so far, or undefined to stop.
 */
function assemble(plan: TurnPlan[] | ((i: number, seconds: number) => TurnPlan | undefined)): Built {
  const nextTurn = Array.isArray(plan) ? (i: number) => plan[i] : plan;
  const placed: Array<{ at: number; audio: Float32Array; speaker: string }> = [];
  let prevEnd = LEAD * SR;
  for (let i = 0, p = nextTurn(0, 0); p; p = nextTurn(++i, prevEnd / SR)) {
    const audio = makeTurn(p.voice, p.minSeconds);
    const at = i === 0 ? LEAD * SR : prevEnd + Math.round(p.gap * 1000) * MS;
    placed.push({ at, audio, speaker: p.voice.name });
    prevEnd = at + audio.length;
  }
  const total = placed.reduce((m, t) => Math.max(m, t.at + t.audio.length), 0) + LEAD * SR;
  const out = new Float32Array(total);
  for (const t of placed) for (let k = 0; k < t.audio.length; k++) out[t.at + k] += t.audio[k];
  const turns = placed.map((t) => ({ start: t.at / MS / 1000, end: (t.at + t.audio.length) / MS / 1000, speaker: t.speaker }));
  return { audio: out, turns };
}

const alternate = (voices: Voice[], rounds: number, minSeconds: number, gap: number): TurnPlan[] =>
  Array.from({ length: rounds * voices.length }, (_, i) => ({ voice: voices[i % voices.length], minSeconds, gap }));

function reuseNote(voices: Voice[]): string {
  const wrapped = voices.filter((v) => v.wrapped);
  return wrapped.length
    ? ` Reused utterances (round-robin, the source has too little audio): ${wrapped.map((v) => `${v.name} (${v.available.toFixed(1)} s of speech)`).join(', ')}.`
    : '';
}

const VOICE_NOTES: Record<VoiceName, string> = {
  LIB: 'LIB = LibriVox reader, male',
  DHD: 'DHD = pocketsphinx test speaker, male',
  JUNE: 'JUNE = fr-CA prompt voice, female',
  ALSA: 'ALSA = alsa-utils test voice, female',
};

interface CaseSpec {
  name: string;
  build: () => { built: Built; note: string };
}

const CASES: CaseSpec[] = [
  {
    name: 'two-voices',
    build: () => {
      const vs = [voice('LIB'), voice('ALSA')];
      const built = assemble(alternate(vs, 4, 2, 0.6));
      return { built, note: `Two voices (${VOICE_NOTES.LIB}; ${VOICE_NOTES.ALSA}) alternating, 4 turns each, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'two-male',
    build: () => {
      const vs = [voice('LIB'), voice('DHD')];
      const built = assemble(alternate(vs, 4, 2, 0.6));
      return { built, note: `Two male voices (${VOICE_NOTES.LIB}; ${VOICE_NOTES.DHD}) alternating, 4 turns each, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'three-voices',
    build: () => {
      const vs = [voice('LIB'), voice('DHD'), voice('JUNE')];
      const built = assemble(alternate(vs, 3, 2, 0.6));
      return { built, note: `Three voices (${vs.map((v) => VOICE_NOTES[v.name]).join('; ')}) in turn, 3 rounds, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'overlap',
    build: () => {
      const vs = [voice('LIB'), voice('JUNE')];
      const built = assemble(alternate(vs, 4, 3, -0.8));
      return {
        built,
        note: `${VOICE_NOTES.LIB}; ${VOICE_NOTES.JUNE}; alternating turns of >= 3 s, each starting 0.8 s before the previous ends (summed).${reuseNote(vs)}`,
      };
    },
  },
  {
    name: 'single',
    build: () => {
      const v = voice('LIB');
      const built = assemble((_, t) => (t < 40 - LEAD ? { voice: v, minSeconds: 2, gap: 0.6 } : undefined));
      return { built, note: `One speaker (${VOICE_NOTES.LIB}), turns of >= 2 s with 0.6 s pauses, ~40 s.${reuseNote([v])}` };
    },
  },
  {
    name: 'silence',
    build: () => ({ built: { audio: new Float32Array(20 * SR), turns: [] }, note: '20 s of digital silence: no speakers.' }),
  },
  {
    name: 'four-voices-long',
    build: () => {
      const vs = [voice('LIB'), voice('DHD'), voice('JUNE'), voice('ALSA')];
      const rand = seededRandom(20240611);
      let prev = -1;
      const built = assemble((_, t) => {
        if (t >= 180 - LEAD) return undefined;
        // Uniform over the other speakers: never the same speaker twice in a row.
        prev = prev < 0 ? Math.floor(rand() * vs.length) : (prev + 1 + Math.floor(rand() * (vs.length - 1))) % vs.length;
        return { voice: vs[prev], minSeconds: 2 + 6 * rand(), gap: 0.6 };
      });
      return {
        built,
        note:
          `Benchmark only. ~3 min, four voices (${vs.map((v) => VOICE_NOTES[v.name]).join('; ')}), seeded random order (no speaker twice in a row), ` +
          `turns of >= 2-8 s (random target; a turn ends on an utterance boundary), 0.6 s gaps.${reuseNote(vs)}`,
      };
    },
  },
];

function writeWav(file: string, x: Float32Array): void {
  const pcm = new Int16Array(x.length);
  // No Math.* in per-sample loops: those calls are ~100x slower inside jest's sandbox.
  for (let i = 0; i < x.length; i++) {
    const v = x[i] * 32767;
    pcm[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : v + (v >= 0 ? 0.5 : -0.5); // stored truncated: rounds half away from 0
  }
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength); // little-endian hosts only (x86, arm)
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(SR, 24);
  h.writeUInt32LE(SR * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([h, data]));
}

interface IndexEntry {
  name: string;
  speakers: number;
  duration: number;
  note: string;
  /** The builder's own turns, so tests can check the RTTM against them. */
  turns: SpeakerTurn[];
}

/**
 * Builds the set into `dir` (which must not hold a complete set). It builds in a private folder and renames
 * it into place, so parallel jest workers never see half a set. Exported so a test can rebuild and compare.
 */
export function buildDiarizationSet(dir: string): void {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  const index: IndexEntry[] = [];
  for (const spec of CASES) {
    const { built, note } = spec.build();
    writeWav(path.join(tmp, `${spec.name}.wav`), built.audio);
    fs.writeFileSync(path.join(tmp, `${spec.name}.rttm`), formatRttm(spec.name, built.turns));
    index.push({ name: spec.name, speakers: new Set(built.turns.map((t) => t.speaker)).size, duration: built.audio.length / SR, note, turns: built.turns });
  }
  // index.json is the completion marker: written last.
  fs.writeFileSync(path.join(tmp, 'index.json'), JSON.stringify({ version: VERSION, sampleRate: SR, cases: index }, null, 2));
  if (fs.existsSync(dir) && !fs.existsSync(path.join(dir, 'index.json'))) fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'index.json'))) throw e; // someone else finished first: use theirs
  }
}

let loaded: DiarizationCase[] | undefined;

/** All cases, building the set on first use. */
export function diarizationSet(): DiarizationCase[] {
  if (loaded) return loaded;
  const dir = diarizationSetDir();
  if (!fs.existsSync(path.join(dir, 'index.json'))) buildDiarizationSet(dir);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { cases: IndexEntry[] };
  loaded = index.cases.map((c) => ({ ...c, wav: path.join(dir, `${c.name}.wav`), rttm: path.join(dir, `${c.name}.rttm`) }));
  return loaded;
}

export function diarizationCase(name: string): DiarizationCase {
  const c = diarizationSet().find((x) => x.name === name);
  if (!c) throw new Error(`no diarization case ${name} (have: ${diarizationSet().map((x) => x.name).join(', ')})`);
  return c;
}
