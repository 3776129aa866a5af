/**
 * The chunker reports progress by audio position, speech or not (real Silero VAD, real ffmpeg):
 * through a long silence the settled point advances with the audio (a resume point that skips the
 * silence already scored), and a finished chunk is emitted once no later speech can join it, not
 * when the next speech finally comes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SileroVad } from '../../lib/vad/silero';
import { speechChunks, type ChunkerProgress } from '../../lib/asr/chunker';
import { decodePcm16k } from '../../lib/audio';
import { jfk, vadModelFile } from '../helpers/models';

let vad: SileroVad;
let file: string;
beforeAll(async () => {
  vad = await SileroVad.load(vadModelFile());
  const dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'chunker-progress');
  fs.mkdirSync(dir, { recursive: true });
  // jfk (speech ~0.3–10.6 s), 120 s of silence, jfk again.
  file = path.join(dir, 'speech-silence-speech.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', jfk().wav, '-i', jfk().wav, '-filter_complex',
    '[0:a]apad=pad_dur=120[a];[a][1:a]concat=n=2:v=0:a=1[o]', '-map', '[o]', '-ar', '16000', '-ac', '1', file]);
});
afterAll(() => vad.release());

it('reports the position through silence, settles past it, and emits the first chunk long before the next speech', async () => {
  const progress: ChunkerProgress[] = [];
  const emittedAt: number[] = [];
  for await (const c of speechChunks(decodePcm16k(file, { ffmpeg: 'ffmpeg', chunkSamples: 16_000 * 5 }), vad, { onProgress: (p) => progress.push(p) })) {
    emittedAt.push(progress.at(-1)?.position ?? 0);
    expect(c.end).toBeGreaterThan(c.start);
  }
  expect(emittedAt).toHaveLength(2);
  // The first chunk (ends ~11 s) leaves once 30 s past its start are scored, not at 131 s.
  expect(emittedAt[0]).toBeLessThan(40);
  // Position ticks all the way through, about every 5 s of audio.
  const positions = progress.map((p) => p.position);
  expect(positions.filter((p) => p > 20 && p < 130).length).toBeGreaterThan(15);
  // Just before the second speech, everything up to (almost) there is settled.
  const beforeSpeech = progress.filter((p) => p.position <= 130).at(-1)!;
  expect(beforeSpeech.settled).toBeGreaterThan(120);
  // Settled never runs backwards and never passes the position.
  for (let i = 1; i < progress.length; i++) expect(progress[i].settled).toBeGreaterThanOrEqual(progress[i - 1].settled - 1e-9);
  for (const p of progress) expect(p.settled).toBeLessThanOrEqual(p.position);
});
