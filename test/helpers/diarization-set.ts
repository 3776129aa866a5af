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
import { wavHeader } from '../../lib/audio/wav-header';
import { formatRttm } from '../../lib/diarization/rttm';
import type { SpeakerTurn } from '../../lib/diarization/types';
import { seededRandom } from '../../lib/whisper/math';
import { cacheDir } from './models';

/**
 * clean: the original 16 kHz cases. tuning / validation: telephone-band calls (8 kHz μ-law or GSM, short
 * turns, overlaps, line noise); settings are tuned on `tuning` only and checked on `validation`, whose
 * voice combinations and layouts differ.
 */
export type CaseGroup = 'clean' | 'tuning' | 'validation';

export interface DiarizationCase {
  name: string;
  group: CaseGroup;
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
const VERSION = 'v2';
const SR = 16000;
/** Turn positions are kept on whole milliseconds so the RTTM (3 decimals) is the exact truth. */
const MS = SR / 1000;

export const diarizationSetDir = () => path.join(cacheDir(), 'diarization-set', VERSION);

const PS = '/usr/share/pocketsphinx/test/data';
const JUNE_DIR = '/usr/share/asterisk/sounds/fr_CA_f_June';
const JUNE_SCRIPTS = '/usr/share/doc/asterisk-core-sounds-fr/core-sounds-fr.txt.gz';
const ALLISON_DIR = '/usr/share/asterisk/sounds/es_MX_f_Allison';
const ALLISON_SCRIPTS = '/usr/share/doc/asterisk-core-sounds-es/core-sounds-es.txt.gz';

interface Source {
  file: string;
  /** Headerless s16le mono at this rate; undefined when ffmpeg can read the header. */
  rawRate?: number;
}

type VoiceName = 'LIB' | 'DHD' | 'JUNE' | 'ALSA' | 'ALLISON' | 'JFK';

const sorted = (dir: string, re: RegExp) => fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f));

const VOICES: Record<VoiceName, () => Source[]> = {
  LIB: () => sorted(`${PS}/librivox`, /\.wav$/).map((file) => ({ file })),
  DHD: () => [`${PS}/goforward.raw`, `${PS}/numbers.raw`, `${PS}/something.raw`, `${PS}/tidigits/dhd.2934z.raw`].map((file) => ({ file, rawRate: 16000 })),
  // Only prompts whose script is a real sentence (>= 6 words): skips tones, beeps and single words.
  JUNE: () => promptVoice(JUNE_DIR, JUNE_SCRIPTS),
  ALSA: () => sorted('/usr/share/sounds/alsa', /^(Front|Rear|Side)_\w+\.wav$/).map((file) => ({ file })),
  ALLISON: () => promptVoice(ALLISON_DIR, ALLISON_SCRIPTS),
  JFK: () => [{ file: path.join(cacheDir(), 'speech', 'jfk.wav') }],
};

/** Asterisk prompts whose script is a real sentence (>= 6 words), in name order. */
function promptVoice(dir: string, scripts: string): Source[] {
  const index = zlib.gunzipSync(fs.readFileSync(must(scripts))).toString('utf8');
  return index
    .split('\n')
    .map((l) => /^([a-z0-9-]+):\s*(.*)$/i.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m && !/^[[(]/.test(m[2]) && m[2].split(/\s+/).length >= 6)
    .map((m) => path.join(dir, `${m[1]}.wav`))
    .filter((f) => fs.existsSync(f))
    .sort()
    .map((file) => ({ file }));
}

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
  /** What `take` left of a cut utterance, used first next time. */
  private rest: Float32Array | null = null;
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
  /**
   * The next stretch of speech, at most `max` samples: a longer utterance is cut at its quietest 30 ms
   * frame in the last 40% of the span (between words, mostly), and the rest (>= 0.3 s) comes next time.
   */
  take(max: number): Float32Array {
    const u = this.rest ?? this.next();
    this.rest = null;
    if (u.length <= max) return u;
    const frame = Math.round(0.03 * SR);
    let cut = max;
    let quietest = Infinity;
    for (let a = Math.floor((0.6 * max) / frame) * frame; a + frame <= max; a += frame) {
      let e = 0;
      for (let k = a; k < a + frame; k++) e += u[k] * u[k];
      if (e < quietest) {
        quietest = e;
        cut = a + frame / 2;
      }
    }
    if (u.length - cut >= 0.3 * SR) this.rest = u.slice(cut);
    return u.slice(0, cut);
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

/** A turn of about `seconds` (never more): pieces of speech joined by 0.15 s pauses, peak-normalised to `peak`. */
function makeShortTurn(v: Voice, seconds: number, peak: number): Float32Array {
  const target = Math.round(seconds * 1000) * MS;
  const pause = Math.round(0.15 * SR);
  const parts: Float32Array[] = [];
  let len = 0;
  for (;;) {
    const room = target - len - (parts.length ? pause : 0);
    if (room < 0.3 * SR) break;
    const u = v.take(room);
    if (parts.length) len += pause;
    parts.push(u);
    len += u.length;
  }
  const out = new Float32Array(Math.ceil(len / MS) * MS);
  let at = 0;
  for (const u of parts) {
    out.set(u, at);
    at += u.length + pause;
  }
  let max = 0;
  for (let k = 0; k < out.length; k++) {
    const a = out[k] < 0 ? -out[k] : out[k];
    if (a > max) max = a;
  }
  if (max > 0) for (let k = 0; k < out.length; k++) out[k] *= peak / max;
  return out;
}

type Codec = 'mulaw' | 'gsm';

interface CallSpec {
  voices: VoiceName[];
  seconds: number;
  seed: number;
  codec: Codec;
  /** Line noise level, dB below the speech RMS. */
  snrDb: number;
}

/**
 * A telephone call: seeded random speaker order (never the same twice in a row), turns of 1-6 s, gaps of
 * 0.2-1.0 s, about one turn in seven starting 0.3-0.8 s before the previous one ends (summed; never more
 * than 40% of either turn), each voice at its own level (0-6 dB down), until `seconds`.
 */
function assembleCall(vs: Voice[], spec: CallSpec): Built {
  const rand = seededRandom(spec.seed);
  const level = vs.map(() => 0.5 * 10 ** (-6 * rand() / 20));
  const placed: Array<{ at: number; audio: Float32Array; speaker: string }> = [];
  let prev = -1;
  let prevEnd = LEAD * SR;
  while (prevEnd < (spec.seconds - LEAD) * SR) {
    const who = prev < 0 || vs.length === 1 ? Math.floor(rand() * vs.length) : (prev + 1 + Math.floor(rand() * (vs.length - 1))) % vs.length;
    const audio = makeShortTurn(vs[who], 1.45 + 4.55 * rand(), level[who]);
    const overlapDraw = rand();
    const gapDraw = rand();
    let at: number;
    const last = placed[placed.length - 1];
    if (last && vs.length > 1 && overlapDraw < 1 / 7) {
      const overlap = Math.min(0.3 + 0.5 * gapDraw, (0.4 * last.audio.length) / SR, (0.4 * audio.length) / SR);
      at = prevEnd - Math.round(overlap * 1000) * MS;
    } else at = last ? prevEnd + Math.round((0.2 + 0.8 * gapDraw) * 1000) * MS : LEAD * SR;
    placed.push({ at, audio, speaker: vs[who].name });
    prevEnd = Math.max(prevEnd, at + audio.length);
    prev = who;
  }
  const out = new Float32Array(prevEnd + LEAD * SR);
  for (const t of placed) for (let k = 0; k < t.audio.length; k++) out[t.at + k] += t.audio[k];
  const turns = placed.map((t) => ({ start: t.at / MS / 1000, end: (t.at + t.audio.length) / MS / 1000, speaker: t.speaker }));
  return { audio: out, turns };
}

/**
 * Line noise then the telephone channel: pinkish noise (white through a one-pole low-pass, seeded) at
 * `snrDb` below the speech RMS, then ffmpeg band-limits (300-3400 Hz), resamples to 8 kHz, codes μ-law
 * (G.711) or GSM 06.10, decodes and resamples back to 16 kHz, keeping the length.
 */
function telephone(x: Float32Array, spec: CallSpec): Float32Array {
  let energy = 0;
  let voiced = 0;
  for (let k = 0; k < x.length; k++) {
    if (x[k] !== 0) {
      energy += x[k] * x[k];
      voiced++;
    }
  }
  const speechRms = Math.sqrt(energy / Math.max(1, voiced));
  const rand = seededRandom(spec.seed ^ 0x5eed);
  const noise = new Float32Array(x.length);
  let lp = 0;
  let noiseEnergy = 0;
  for (let k = 0; k < x.length; k++) {
    lp = 0.95 * lp + (rand() * 2 - 1);
    noise[k] = lp;
    noiseEnergy += lp * lp;
  }
  const gain = (speechRms * 10 ** (-spec.snrDb / 20)) / Math.sqrt(noiseEnergy / x.length);
  const mixed = new Float32Array(x.length);
  for (let k = 0; k < x.length; k++) mixed[k] = x[k] + gain * noise[k];
  const fmt = spec.codec === 'gsm' ? ['-c:a', 'libgsm', '-f', 'gsm'] : ['-c:a', 'pcm_mulaw', '-f', 'mulaw'];
  const coded = execFileSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-f', 'f32le', '-ar', String(SR), '-ac', '1', '-i', '-', '-af', 'highpass=f=300,lowpass=f=3400', '-ar', '8000', ...fmt, '-'],
    { input: Buffer.from(mixed.buffer), maxBuffer: 1 << 30 },
  );
  const back = execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', fmt[3], '-ar', '8000', '-ac', '1', '-i', '-', '-ar', String(SR), '-f', 'f32le', '-'], {
    input: coded,
    maxBuffer: 1 << 30,
  });
  const y = new Float32Array(back.buffer.slice(back.byteOffset, back.byteOffset + back.byteLength));
  const out = new Float32Array(x.length);
  out.set(y.subarray(0, Math.min(y.length, x.length)));
  return out;
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
  ALLISON: 'ALLISON = es-MX prompt voice, female',
  JFK: 'JFK = J. F. Kennedy inaugural excerpt, male',
  LIB: 'LIB = LibriVox reader, male',
  DHD: 'DHD = pocketsphinx test speaker, male',
  JUNE: 'JUNE = fr-CA prompt voice, female',
  ALSA: 'ALSA = alsa-utils test voice, female',
};

interface CaseSpec {
  name: string;
  group: CaseGroup;
  build: () => { built: Built; note: string };
}

/**
 * Telephone calls. Tuning and validation use different voice combinations, seeds (layouts) and, per
 * combination, codecs; settings are chosen on `tuning` only.
 */
const CALLS: Array<{ name: string; group: CaseGroup } & CallSpec> = [
  { name: 'tel-tune-3-a', group: 'tuning', voices: ['LIB', 'ALLISON', 'DHD'], seconds: 100, seed: 101, codec: 'mulaw', snrDb: 25 },
  { name: 'tel-tune-2-a', group: 'tuning', voices: ['JUNE', 'LIB'], seconds: 60, seed: 102, codec: 'gsm', snrDb: 20 },
  { name: 'tel-tune-4-a', group: 'tuning', voices: ['LIB', 'JUNE', 'ALLISON', 'JFK'], seconds: 110, seed: 103, codec: 'mulaw', snrDb: 22 },
  { name: 'tel-tune-3-b', group: 'tuning', voices: ['JUNE', 'DHD', 'ALSA'], seconds: 80, seed: 104, codec: 'gsm', snrDb: 25 },
  { name: 'tel-tune-2-b', group: 'tuning', voices: ['ALLISON', 'DHD'], seconds: 50, seed: 105, codec: 'mulaw', snrDb: 18 },
  { name: 'tel-tune-5', group: 'tuning', voices: ['LIB', 'DHD', 'JUNE', 'ALLISON', 'JFK'], seconds: 120, seed: 107, codec: 'gsm', snrDb: 22 },
  { name: 'tel-tune-1', group: 'tuning', voices: ['JUNE'], seconds: 40, seed: 106, codec: 'mulaw', snrDb: 20 },
  { name: 'tel-val-3-a', group: 'validation', voices: ['LIB', 'JUNE', 'ALLISON'], seconds: 108, seed: 201, codec: 'mulaw', snrDb: 22 },
  { name: 'tel-val-2-a', group: 'validation', voices: ['ALLISON', 'JFK'], seconds: 50, seed: 202, codec: 'gsm', snrDb: 20 },
  { name: 'tel-val-3-b', group: 'validation', voices: ['DHD', 'JUNE', 'JFK'], seconds: 70, seed: 203, codec: 'mulaw', snrDb: 25 },
  { name: 'tel-val-4-a', group: 'validation', voices: ['LIB', 'DHD', 'ALLISON', 'ALSA'], seconds: 90, seed: 204, codec: 'gsm', snrDb: 22 },
  { name: 'tel-val-2-b', group: 'validation', voices: ['LIB', 'ALSA'], seconds: 45, seed: 205, codec: 'mulaw', snrDb: 18 },
  { name: 'tel-val-5', group: 'validation', voices: ['ALSA', 'ALLISON', 'LIB', 'JUNE', 'DHD'], seconds: 110, seed: 207, codec: 'mulaw', snrDb: 20 },
  { name: 'tel-val-1', group: 'validation', voices: ['ALLISON'], seconds: 35, seed: 206, codec: 'gsm', snrDb: 20 },
];

const CODEC_NOTES: Record<Codec, string> = { mulaw: '8 kHz G.711 μ-law', gsm: '8 kHz GSM 06.10' };

const callCase = (c: (typeof CALLS)[number]): CaseSpec => ({
  name: c.name,
  group: c.group,
  build: () => {
    const vs = c.voices.map(voice);
    const call = assembleCall(vs, c);
    const built = { audio: telephone(call.audio, c), turns: call.turns };
    return {
      built,
      note:
        `Telephone call (${c.group} group), ~${c.seconds} s, ${vs.map((v) => VOICE_NOTES[v.name]).join('; ')}; seed ${c.seed}: random order, turns of 1-6 s, ` +
        `0.2-1.0 s gaps, ~1 in 7 turns overlapping the previous by 0.3-0.8 s; line noise ${c.snrDb} dB below speech; ` +
        `300-3400 Hz, ${CODEC_NOTES[c.codec]} round trip back to 16 kHz.${reuseNote(vs)}`,
    };
  },
});

const CASES: CaseSpec[] = [
  {
    name: 'two-voices',
    group: 'clean',
    build: () => {
      const vs = [voice('LIB'), voice('ALSA')];
      const built = assemble(alternate(vs, 4, 2, 0.6));
      return { built, note: `Two voices (${VOICE_NOTES.LIB}; ${VOICE_NOTES.ALSA}) alternating, 4 turns each, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'two-male',
    group: 'clean',
    build: () => {
      const vs = [voice('LIB'), voice('DHD')];
      const built = assemble(alternate(vs, 4, 2, 0.6));
      return { built, note: `Two male voices (${VOICE_NOTES.LIB}; ${VOICE_NOTES.DHD}) alternating, 4 turns each, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'three-voices',
    group: 'clean',
    build: () => {
      const vs = [voice('LIB'), voice('DHD'), voice('JUNE')];
      const built = assemble(alternate(vs, 3, 2, 0.6));
      return { built, note: `Three voices (${vs.map((v) => VOICE_NOTES[v.name]).join('; ')}) in turn, 3 rounds, 0.6 s gaps.${reuseNote(vs)}` };
    },
  },
  {
    name: 'overlap',
    group: 'clean',
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
    group: 'clean',
    build: () => {
      const v = voice('LIB');
      const built = assemble((_, t) => (t < 40 - LEAD ? { voice: v, minSeconds: 2, gap: 0.6 } : undefined));
      return { built, note: `One speaker (${VOICE_NOTES.LIB}), turns of >= 2 s with 0.6 s pauses, ~40 s.${reuseNote([v])}` };
    },
  },
  {
    name: 'silence',
    group: 'clean',
    build: () => ({ built: { audio: new Float32Array(20 * SR), turns: [] }, note: '20 s of digital silence: no speakers.' }),
  },
  {
    name: 'four-voices-long',
    group: 'clean',
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
  ...CALLS.map(callCase),
];

function writeWav(file: string, x: Float32Array): void {
  const pcm = new Int16Array(x.length);
  // No Math.* in per-sample loops: those calls are ~100x slower inside jest's sandbox.
  for (let i = 0; i < x.length; i++) {
    const v = x[i] * 32767;
    pcm[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : v + (v >= 0 ? 0.5 : -0.5); // stored truncated: rounds half away from 0
  }
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength); // little-endian hosts only (x86, arm)
  fs.writeFileSync(file, Buffer.concat([wavHeader(SR, pcm.length), data]));
}

interface IndexEntry {
  name: string;
  group: CaseGroup;
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
    index.push({ name: spec.name, group: spec.group, speakers: new Set(built.turns.map((t) => t.speaker)).size, duration: built.audio.length / SR, note, turns: built.turns });
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
