/** Silero VAD (real model) and the speech chunker on real speech, silence and noise. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SILENT_WINDOWS_BEFORE_SKIP, SileroVad, VadStream, VAD_WINDOW } from '../../lib/vad/silero';
import { speechChunks, type SpeechChunk } from '../../lib/asr/chunker';
import { decodePcm16k } from '../../lib/audio';
import { jfk, vadModelFile } from '../helpers/models';

let vad: SileroVad;
let dir: string;
beforeAll(async () => {
  vad = await SileroVad.load(vadModelFile());
  dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'vad');
  require('node:fs').mkdirSync(dir, { recursive: true });
});
afterAll(() => vad.release());

/** jfk with `gap` seconds of digital silence before and after each copy. */
function padded(copies: number, gap: number, name: string): string {
  const out = path.join(dir, name);
  const inputs = Array.from({ length: copies }, () => ['-i', jfk().wav]).flat();
  const filter = Array.from({ length: copies }, (_, i) => `[${i}:a]adelay=${gap * 1000}:all=1,apad=pad_dur=${gap}[a${i}]`).join(';') +
    ';' + Array.from({ length: copies }, (_, i) => `[a${i}]`).join('') + `concat=n=${copies}:v=0:a=1[o]`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[o]', '-ar', '16000', '-ac', '1', out]);
  return out;
}

async function chunksOf(file: string, chunkSamples = 16000 * 7, maxChunkS = 30): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const c of speechChunks(decodePcm16k(file, { ffmpeg: 'ffmpeg', chunkSamples }), vad, { maxChunkS })) out.push(c);
  return out;
}

it('finds the speech in a recording and skips the silence around it', async () => {
  const chunks = await chunksOf(padded(1, 5, 'one.wav'));
  expect(chunks).toHaveLength(1);
  // jfk speech runs from ~0.3 s to ~10.6 s of the clip, which starts at 5 s here.
  expect(chunks[0].start).toBeGreaterThan(4.5);
  expect(chunks[0].start).toBeLessThan(5.8);
  expect(chunks[0].end).toBeGreaterThan(14.5);
  expect(chunks[0].end).toBeLessThan(16.5);
  expect(chunks[0].pcm.length).toBeCloseTo((chunks[0].end - chunks[0].start) * 16000, -2);
});

it('yields nothing for digital silence or low noise (nothing for Whisper to hallucinate on)', async () => {
  const silence = path.join(dir, 'silence.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '20', silence]);
  expect(await chunksOf(silence)).toEqual([]);
  const noise = path.join(dir, 'noise.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=white:a=0.02:r=16000:d=20', noise]);
  expect(await chunksOf(noise)).toEqual([]);
});

it('skips the model over long digital silence and still finds the speech after it, from a fresh state', async () => {
  // jfk twice, each with 45 s of zeros before and after: 2 × 101 s.
  const file = padded(2, 45, 'muted.wav');
  let runs = 0;
  const session = (vad as unknown as { session: { run: (...a: unknown[]) => Promise<unknown> } }).session;
  const counting = { run: (...a: unknown[]) => ((runs += 1), session.run(...a)) };
  const skipping = { stream: () => new VadStream(counting as never) } as unknown as SileroVad;
  const chunks: SpeechChunk[] = [];
  for await (const c of speechChunks(decodePcm16k(file, { ffmpeg: 'ffmpeg', chunkSamples: 16000 * 7 }), skipping, { maxChunkS: 30 })) chunks.push(c);
  const regions = chunks.flatMap((c) => c.regions);
  for (const start of [45.3, 146.3]) expect(regions.some((r) => Math.abs(r.start - start) < 1)).toBe(true);
  expect(regions.every((r) => r.end < 57.5 || (r.start > 145 && r.end < 158.5))).toBe(true);
  // Past the first 30 s of each stretch of zeros (45 s lead, 90 s between the copies, 45 s tail), no window runs the model.
  const windowsOf = (seconds: number) => Math.floor((seconds * 16000) / VAD_WINDOW);
  expect(SILENT_WINDOWS_BEFORE_SKIP).toBe(windowsOf(30) + 1);
  expect(runs).toBeLessThanOrEqual(windowsOf(202) - windowsOf(15 + 60 + 15) + 5);
  expect(runs).toBeGreaterThan(windowsOf(2 * 11)); // the speech itself always runs
});

it('groups long audio into chunks of at most 30 s that cover every speech region in order', async () => {
  const chunks = await chunksOf(padded(6, 3, 'six.wav'));
  expect(chunks.length).toBeGreaterThanOrEqual(3);
  for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(30.001);
  for (let i = 1; i < chunks.length; i++) expect(chunks[i].start).toBeGreaterThanOrEqual(chunks[i - 1].end);
  const regions = chunks.flatMap((c) => c.regions);
  // Six copies of an 11 s clip spaced by 6 s of silence: speech starts near 3 + 17k.
  for (let k = 0; k < 6; k++) expect(regions.some((r) => Math.abs(r.start - (3.3 + 17 * k)) < 1)).toBe(true);
});

it('does not depend on how the stream is cut into pieces', async () => {
  const file = padded(2, 2, 'two.wav');
  const a = await chunksOf(file, 16000 * 30);
  const b = await chunksOf(file, 1234);
  expect(b.map((c) => [c.start, c.end])).toEqual(a.map((c) => [c.start, c.end]));
});

it('cuts an unbroken monologue so no chunk exceeds the limit', async () => {
  const long = path.join(dir, 'mono.wav');
  // 40 s of continuous speech: jfk looped with no gaps.
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '3', '-i', jfk().wav, '-t', '40', '-ar', '16000', '-ac', '1', long]);
  const chunks = await chunksOf(long, 16000 * 5, 30);
  for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(30.001);
  expect(chunks.length).toBeGreaterThanOrEqual(2);
});

it('keeps the first words of speech that follows background noise', async () => {
  const f = path.join(dir, 'noise-then-speech.wav');
  const fmt = 'aformat=sample_fmts=s16:sample_rates=16000:channel_layouts=mono';
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.003:sample_rate=16000:duration=19', '-i', jfk().wav,
    '-filter_complex', `[0:a]${fmt}[a];[1:a]${fmt}[b];[a][b]concat=n=2:v=0:a=1[o]`, '-map', '[o]', f]);
  const chunks = await chunksOf(f);
  expect(chunks).toHaveLength(1);
  // jfk's first word ("And") starts ~0.3 s into the clip, i.e. at ~19.3 s here.
  expect(chunks[0].start).toBeLessThanOrEqual(19.3);
  expect(chunks[0].start).toBeGreaterThan(18);
});
