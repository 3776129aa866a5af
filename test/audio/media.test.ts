/** Probe and decode every contract format with the real ffmpeg; reject what is not usable audio. */
import fs from 'node:fs';
import path from 'node:path';
import { decodePcm16k, enhanceToWav, MediaError, probeMedia, SUPPORTED_EXTENSIONS, PCM_SAMPLE_RATE } from '../../lib/audio';
import { durationOf, encodeAs, speechWav, videoWithoutAudio } from '../helpers/media';

const ffmpeg = 'ffmpeg';
const tools = { ffmpeg, ffprobe: 'ffprobe' };
let dir: string;
let speech: string;
let speechSeconds: number;

beforeAll(() => {
  dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'media');
  speech = speechWav(dir, 'The quick brown fox jumps over the lazy dog. Voxflow decodes every container.');
  speechSeconds = durationOf(speech);
});

async function decodeAll(file: string, chunkSamples?: number) {
  const chunks: Float32Array[] = [];
  for await (const c of decodePcm16k(file, { ffmpeg, chunkSamples })) chunks.push(c);
  return chunks;
}

const rms = (chunks: Float32Array[]) => {
  let sum = 0;
  let n = 0;
  for (const c of chunks) for (const v of c) (sum += v * v), n++;
  return Math.sqrt(sum / n);
};

describe.each(SUPPORTED_EXTENSIONS.map((e) => [e]))('%s', (ext) => {
  let file: string;
  beforeAll(() => {
    file = encodeAs(speech, ext, dir);
  });

  it('probes duration and audio stream', async () => {
    const info = await probeMedia(tools, file);
    // Lossy codecs pad a frame or two; video containers end at the shortest stream.
    expect(Math.abs(info.duration - speechSeconds)).toBeLessThan(0.25);
    expect(info.audio.channels).toBeGreaterThanOrEqual(1);
    expect(info.sizeBytes).toBe(fs.statSync(file).size);
  });

  it('decodes to 16 kHz mono float PCM holding the speech', async () => {
    const chunks = await decodeAll(file);
    const samples = chunks.reduce((a, c) => a + c.length, 0);
    expect(Math.abs(samples / PCM_SAMPLE_RATE - speechSeconds)).toBeLessThan(0.25);
    expect(rms(chunks)).toBeGreaterThan(0.01);
  });
});

describe('decode streaming', () => {
  it('yields fixed-size chunks (last one shorter) whose concatenation is the whole signal', async () => {
    const whole = await decodeAll(speech, 1 << 30);
    const chunks = await decodeAll(speech, 4000);
    expect(chunks.slice(0, -1).every((c) => c.length === 4000)).toBe(true);
    expect(chunks[chunks.length - 1].length).toBeLessThanOrEqual(4000);
    const total = chunks.reduce((a, c) => a + c.length, 0);
    expect(total).toBe(whole[0].length);
    expect(chunks[1][17]).toBeCloseTo(whole[0][4017], 6);
  });

  it('resumes from an offset', async () => {
    const full = (await decodeAll(speech)).reduce((a, c) => a + c.length, 0);
    const rest = (await decodeAll(speech)).length && (await (async () => {
      let n = 0;
      for await (const c of decodePcm16k(speech, { ffmpeg, startSeconds: 1 })) n += c.length;
      return n;
    })());
    expect(Math.abs(full - rest - PCM_SAMPLE_RATE)).toBeLessThan(400);
  });
});

describe('bad inputs are rejected with typed errors', () => {
  const expectMediaError = async (p: Promise<unknown>, code: string) => {
    await expect(p).rejects.toBeInstanceOf(MediaError);
    await expect(p).rejects.toMatchObject({ code });
  };

  it('empty file', async () => {
    const f = path.join(dir, 'empty.mp3');
    fs.writeFileSync(f, '');
    await expectMediaError(probeMedia(tools, f), 'empty_file');
  });

  it('non-media file', async () => {
    const f = path.join(dir, 'notes.wav');
    fs.writeFileSync(f, 'this is a text file pretending to be audio\n'.repeat(50));
    await expectMediaError(probeMedia(tools, f), 'not_media');
  });

  it('video without an audio track', async () => {
    await expectMediaError(probeMedia(tools, videoWithoutAudio(dir)), 'no_audio_stream');
  });

  it('corrupt media: a header followed by garbage', async () => {
    const good = fs.readFileSync(encodeAs(speech, 'flac', dir));
    const f = path.join(dir, 'corrupt.flac');
    const bad = Buffer.concat([good.subarray(0, 200), Buffer.alloc(good.length - 200, 0x5a)]);
    fs.writeFileSync(f, bad);
    const probe = probeMedia(tools, f).then(() => decodeAll(f));
    await expect(probe).rejects.toBeInstanceOf(MediaError);
  });
});

describe('enhance', () => {
  it('writes a 48 kHz 16-bit WAV of the same length, loudness-normalised, reporting progress', async () => {
    // A quiet copy: enhancement must bring it up towards -16 LUFS.
    const quiet = path.join(dir, 'quiet.wav');
    require('node:child_process').execFileSync(ffmpeg, ['-v', 'error', '-y', '-i', speech, '-af', 'volume=0.05', quiet]);
    const out = path.join(dir, 'enhanced.wav');
    const seen: number[] = [];
    await enhanceToWav(quiet, out, { ffmpeg, durationSeconds: speechSeconds, onProgress: (p) => seen.push(p) });
    const info = await probeMedia(tools, out);
    expect(info.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 48000 });
    expect(Math.abs(info.duration - speechSeconds)).toBeLessThan(0.1);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
    expect(rms(await decodeAll(out))).toBeGreaterThan(3 * rms(await decodeAll(quiet)));
  });
});
