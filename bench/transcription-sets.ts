/**
 * Evaluation sets of the kinds that failed in issue #10, built deterministically from real
 * recordings in registry packages (scripts/models/install-speech-samples.sh), with references:
 *  - tel-es: Spanish voice prompts (es-MX "Allison", asterisk-core-sounds-es) joined with pauses,
 *    pink noise, 8 kHz μ-law (a telephone line);
 *  - tel-fr: French prompts (fr-CA "June"), the same, GSM 06.10 coded;
 *  - tel-en: English read speech (LibriVox clips, jfk) joined, noise, 8 kHz μ-law;
 *  - long-en: the same English material to ~BENCH_LONG_SET_MINUTES (30) minutes, 8 kHz μ-law.
 * Files are 30–60 s (long-en: 30 min). Every third file is HELD OUT: reported on its own line and
 * never looked at while tuning (choose settings on the rest).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { seededRandom } from '../lib/whisper/math';
import { cacheDir, jfk, librivox } from '../test/helpers/models';

export interface SetFile {
  set: string;
  name: string;
  wav: string;
  text: string;
  language: string;
  heldOut: boolean;
}

/** Bump when anything below changes the audio or the references. */
const VERSION = 'v2';

interface Clip {
  wav: string;
  text: string;
}

function prompts(lang: 'es' | 'fr'): Clip[] {
  const voice = lang === 'es' ? 'es_MX_f_Allison' : 'fr_CA_f_June';
  const index = zlib.gunzipSync(fs.readFileSync(`/usr/share/doc/asterisk-core-sounds-${lang}/core-sounds-${lang}.txt.gz`)).toString('utf8');
  const out: Clip[] = [];
  for (const line of index.split('\n')) {
    const m = /^([\w-]+): (.+)$/.exec(line.trim());
    if (!m) continue;
    const wav = `/usr/share/asterisk/sounds/${voice}/${m[1]}.wav`;
    // Whole sentences only: fragments ("... participants") and bracketed notes have no clean reference.
    const text = m[2].replace(/^"|"$/g, '').trim();
    if (!fs.existsSync(wav) || /\.\.\.|\[|\(|\d/.test(text) || text.split(/\s+/).length < 4) continue;
    out.push({ wav, text });
  }
  return out.sort((a, b) => a.wav.localeCompare(b.wav));
}

function englishClips(): Clip[] {
  return [jfk(), ...librivox()];
}

/** Joins clips with pauses, adds pink noise (seeded: the same file on every build) at `noise` amplitude, codes for a telephone line and back to a WAV. */
function build(out: string, clips: Clip[], pauses: number[], codec: 'mulaw' | 'gsm', noise: number, seed: number): void {
  const inputs = clips.flatMap((c) => ['-i', c.wav]);
  const parts = clips.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur=${pauses[i]}[a${i}]`).join(';');
  const graph = `${parts};${clips.map((_, i) => `[a${i}]`).join('')}concat=n=${clips.length}:v=0:a=1[j];anoisesrc=c=pink:a=${noise}:r=16000:d=7200:seed=${seed}[n];[j][n]amix=inputs=2:duration=first:normalize=0,aresample=8000[o]`;
  const coded = `${out}.${codec === 'gsm' ? 'gsm.wav' : 'ulaw.wav'}`;
  const codecArgs = codec === 'gsm' ? ['-c:a', 'libgsm_ms', '-ar', '8000'] : ['-c:a', 'pcm_mulaw', '-ar', '8000'];
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[o]', '-ac', '1', ...codecArgs, coded]);
  // Decoded back to 8 kHz PCM WAV: both systems read the same samples, whatever their decoders support.
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', coded, '-c:a', 'pcm_s16le', '-ar', '8000', out]);
  fs.rmSync(coded);
}

function joinedSet(set: string, language: string, pool: Clip[], codec: 'mulaw' | 'gsm', files: number, seed: number, dir: string): SetFile[] {
  const rand = seededRandom(seed);
  const out: SetFile[] = [];
  let next = 0;
  for (let f = 0; f < files && next < pool.length; f++) {
    const clips: Clip[] = [];
    let seconds = 0;
    const target = 30 + rand() * 30;
    while (seconds < target && next < pool.length) {
      const c = pool[next++];
      clips.push(c);
      seconds += Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', c.wav], { encoding: 'utf8' })) + 1;
    }
    const pauses = clips.map(() => Math.round((0.3 + rand() * 1.4) * 100) / 100);
    const name = `${set}-${String(f + 1).padStart(2, '0')}`;
    const wav = path.join(dir, `${name}.wav`);
    if (!fs.existsSync(wav)) build(wav, clips, pauses, codec, 0.002 + rand() * 0.006, seed * 100 + f);
    out.push({ set, name, wav, text: clips.map((c) => c.text).join(' '), language, heldOut: f % 3 === 2 });
  }
  return out;
}

function longSet(dir: string, minutes: number): SetFile[] {
  const pool = englishClips();
  const clips: Clip[] = [];
  for (let i = 0; clips.length * 9 < minutes * 60; i++) clips.push(pool[i % pool.length]);
  const rand = seededRandom(99);
  const pauses = clips.map(() => Math.round((0.5 + rand() * 3) * 100) / 100);
  const wav = path.join(dir, `long-en-${minutes}min.wav`);
  if (!fs.existsSync(wav)) build(wav, clips, pauses, 'mulaw', 0.004, 99);
  return [{ set: 'long-en', name: `long-en-${minutes}min`, wav, text: clips.map((c) => c.text).join(' '), language: 'en', heldOut: false }];
}

export function transcriptionSets(opts: { longMinutes?: number } = {}): SetFile[] {
  const dir = path.join(cacheDir(), 'bench-sets', `transcription-${VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  const english = englishClips();
  return [
    ...joinedSet('tel-es', 'es', prompts('es'), 'mulaw', 6, 1, dir),
    ...joinedSet('tel-fr', 'fr', prompts('fr'), 'gsm', 6, 2, dir),
    ...joinedSet('tel-en', 'en', english, 'mulaw', 3, 3, dir),
    ...(opts.longMinutes ? longSet(dir, opts.longMinutes) : []),
  ];
}
