/** Test media made by the tests themselves: espeak-ng speech, re-encoded by ffmpeg into every container. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function speechWav(dir: string, text: string, name = 'speech.wav'): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, name);
  execFileSync('espeak-ng', ['-w', out, text]);
  return out;
}

/** Encoder arguments per container, so each of the 16 contract formats gets a realistic codec. */
const ENCODE_ARGS: Record<string, string[]> = {
  mp3: ['-c:a', 'libmp3lame'],
  wav: ['-c:a', 'pcm_s16le'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis'],
  m4a: ['-c:a', 'aac'],
  aac: ['-c:a', 'aac', '-f', 'adts'],
  opus: ['-c:a', 'libopus'],
  wma: ['-c:a', 'wmav2'],
  mp4: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
  webm: ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus', '-shortest'],
  mkv: ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'flac', '-shortest'],
  avi: ['-c:v', 'mpeg4', '-c:a', 'libmp3lame', '-shortest'],
  mov: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
  wmv: ['-c:v', 'wmv2', '-c:a', 'wmav2', '-shortest'],
  mpg: ['-c:v', 'mpeg2video', '-c:a', 'mp2', '-f', 'mpeg', '-shortest'],
  mpeg: ['-c:v', 'mpeg1video', '-c:a', 'mp2', '-f', 'mpeg', '-shortest'],
};
const VIDEO = new Set(['mp4', 'webm', 'mkv', 'avi', 'mov', 'wmv', 'mpg', 'mpeg']);

export function encodeAs(src: string, ext: string, dir: string): string {
  const out = path.join(dir, `${path.basename(src, path.extname(src))}-enc.${ext}`);
  const input = VIDEO.has(ext)
    ? ['-f', 'lavfi', '-i', 'color=c=blue:s=160x120:r=25', '-i', src, '-map', '0:v', '-map', '1:a']
    : ['-i', src];
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...input, '-ar', ext === 'opus' || ext === 'webm' ? '48000' : '44100', ...ENCODE_ARGS[ext], out]);
  return out;
}

export function videoWithoutAudio(dir: string): string {
  const out = path.join(dir, 'silent-video.mp4');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=d=2:s=160x120:r=10', '-c:v', 'libx264', '-preset', 'ultrafast', out]);
  return out;
}

/** Long noisy audio (pink noise under a tone) for steps that must run for a while. */
export function longNoisyAudio(dir: string, seconds: number, name = 'long.wav'): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, name);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `anoisesrc=c=pink:a=0.1:d=${seconds}:r=16000`,
    '-f', 'lavfi', '-i', `sine=f=220:d=${seconds}:r=16000`, '-filter_complex', 'amix=inputs=2', '-ac', '1', out]);
  return out;
}

export function durationOf(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}
