/**
 * Real speech with no sentence said twice in any 30 s window: jfk.wav, then the five LibriVox excerpts,
 * each followed by 1 s of silence (~41 s). Long fixtures used to repeat jfk.wav; a window holding it twice
 * has a gzip compression ratio of 2.53, over Whisper's 2.4 degeneracy rule, so every such window was
 * decoded at all six fallback temperatures (about 6x the work of the same length of ordinary speech).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { jfk, librivox } from './models';

export interface VariedSpeech {
  wav: string;
  /** Reference text of one pass over the sources, in order. */
  text: string;
  seconds: number;
}

/** The sources concatenated once, 16 kHz mono WAV in `dir`. */
export function variedSpeech(dir: string, name = 'varied-speech.wav'): VariedSpeech {
  fs.mkdirSync(dir, { recursive: true });
  const sources = [jfk(), ...librivox()];
  const out = path.join(dir, name);
  const inputs = sources.flatMap((s) => ['-i', s.wav]);
  const filter =
    sources.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur=1[a${i}]`).join(';') +
    ';' + sources.map((_, i) => `[a${i}]`).join('') + `concat=n=${sources.length}:v=0:a=1[o]`;
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[o]', '-ar', '16000', '-ac', '1', out]);
  const seconds = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out]).toString());
  return { wav: out, text: sources.map((s) => s.text).join(' '), seconds };
}
