import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The converted Whisper model the real-model tests run against. */
export function whisperModelDir(): string {
  const dir = process.env.VOXFLOW_TEST_WHISPER_DIR ?? path.join(os.homedir(), '.cache/voxflow/models/whisper/base');
  requireFile(path.join(dir, 'manifest.json'), 'Set VOXFLOW_TEST_WHISPER_DIR to a converted Whisper model directory, or install the model');
  return dir;
}

/** jfk.wav (11 s, from whisper.cpp's samples), placed by the installer. */
export function jfkWav(): string {
  const root = process.env.VOXFLOW_CACHE ?? path.join(os.homedir(), '.cache/voxflow');
  return requireFile(path.join(root, 'speech/jfk.wav'), 'The installer puts it there (from the nodejs-whisper@0.3.1 npm package: package/cpp/whisper.cpp/bindings/go/samples/jfk.wav)');
}

export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';

/** LibriVox clips and their reference transcripts from Debian's pocketsphinx-testdata. */
export function librivoxClips(): Array<{ wav: string; text: string }> {
  const list = requireFile(path.join(LIBRIVOX_DIR, 'transcription'), 'apt-get install -y pocketsphinx-testdata');
  const lines = readFileSync(list, 'utf8').split('\n').filter((l) => l.trim());
  return lines.map((line) => {
    const m = /^(.*)\(([^)]+)\)\s*$/.exec(line);
    if (!m) throw new Error(`unexpected transcription line: ${line}`);
    const text = m[1].replace(/<\/?s>/g, '').trim();
    return { wav: requireFile(path.join(LIBRIVOX_DIR, `${m[2]}.wav`), 'apt-get install -y pocketsphinx-testdata'), text };
  });
}

/** Synthesises speech with espeak-ng and converts it to 16 kHz mono 16-bit WAV with ffmpeg. */
export function synthesize(voice: string, text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voxflow-whisper-tts-'));
  const raw = path.join(dir, 'raw.wav');
  const out = path.join(dir, 'speech16k.wav');
  try {
    execFileSync('espeak-ng', ['-v', voice, '-w', raw, text], { stdio: 'pipe' });
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', raw, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', out], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`Synthetic speech needs espeak-ng and ffmpeg on PATH (apt-get install -y espeak-ng ffmpeg): ${(err as Error).message}`);
  }
  return out;
}

function requireFile(file: string, hint: string): string {
  if (!existsSync(file)) throw new Error(`Missing test input ${file}. ${hint}.`);
  return file;
}
