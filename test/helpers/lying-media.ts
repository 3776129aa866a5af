/** Media whose container metadata lies about its length (the billing bypass of the hardening issue). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A Matroska file holding `seconds` of audio whose Segment Duration element (EBML id 0x4489, an
 * 8-byte float in milliseconds) and per-track DURATION tag are patched to claim `claimS`.
 * The tag is found by the text ffmpeg wrote, so `seconds` should be whole.
 */
export function lyingMkv(dir: string, seconds: number, claimS: number, name = 'lying.mkv', loop?: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, name);
  // A tone, or `loop` (a speech file) repeated to the length.
  const input = loop ? ['-stream_loop', '-1', '-i', loop, '-t', String(seconds)] : ['-f', 'lavfi', '-i', `sine=f=300:d=${seconds}:r=16000`];
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...input, '-ar', '16000', '-ac', '1', '-c:a', 'flac', out]);
  const b = fs.readFileSync(out);
  const at = b.indexOf(Buffer.from([0x44, 0x89, 0x88]));
  if (at < 0) throw new Error('no 8-byte Duration element in the Matroska header');
  b.writeDoubleBE(claimS * 1000, at + 3);
  const tag = b.indexOf(Buffer.from(hms(seconds)));
  if (tag >= 0) b.write(hms(claimS), tag, 'latin1');
  fs.writeFileSync(out, b);
  return out;
}

/** `HH:MM:SS.nnnnnnnnn`, as ffmpeg writes Matroska DURATION tags. */
function hms(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(9).padStart(12, '0');
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec}`;
}

/** The first `bytes` of a `seconds`-long MP3: its header still claims the whole length. */
export function truncatedMp3(dir: string, seconds: number, bytes: number, name = 'cut.mp3'): string {
  fs.mkdirSync(dir, { recursive: true });
  const full = path.join(dir, `full-${name}`);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=440:d=${seconds}:r=44100`, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', full]);
  const out = path.join(dir, name);
  fs.writeFileSync(out, fs.readFileSync(full).subarray(0, bytes));
  return out;
}
