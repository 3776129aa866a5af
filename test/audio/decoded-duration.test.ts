/** measureDecodedAudio counts what the audio decodes to (real ffmpeg), whatever the container claims. */
import path from 'node:path';
import { measureDecodedAudio, probeMedia } from '../../lib/audio';
import { lyingMkv, truncatedMp3 } from '../helpers/lying-media';

const dir = () => path.join(process.env.VOXFLOW_TEST_DIR!, 'decoded-duration');
const tools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

it('measures 180 s in a Matroska file whose Duration claims 1.5 s (the probe believes the claim)', async () => {
  const f = lyingMkv(dir(), 180, 1.5);
  expect((await probeMedia(tools, f)).duration).toBeCloseTo(1.5, 3);
  expect(await measureDecodedAudio('ffmpeg', f)).toBeCloseTo(180, 2);
});

it('measures what a truncated MP3 decodes to, not the length its header claims', async () => {
  const f = truncatedMp3(dir(), 180, 3000);
  expect((await probeMedia(tools, f)).duration).toBeGreaterThan(120);
  const s = await measureDecodedAudio('ffmpeg', f);
  expect(s).toBeGreaterThan(0.05);
  expect(s).toBeLessThan(1);
});

it('stops decoding past a limit (the caller only needs "longer than")', async () => {
  const f = lyingMkv(dir(), 600, 1, 'ten-minutes.mkv');
  const seen: number[] = [];
  const s = await measureDecodedAudio('ffmpeg', f, { stopAfterSeconds: 61, onProgress: (x) => seen.push(x) });
  expect(s).toBeCloseTo(61, 1);
  expect(seen.length).toBeGreaterThan(0);
});
