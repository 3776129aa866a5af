/**
 * Language detection over the whole file (issue #10): windows across the file vote, so a file that
 * opens in another language is labelled by its main one, and the probability reflects the split.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tally, voteLanguage, windowStarts } from '../../lib/asr/language-vote';
import { SileroVad } from '../../lib/vad/silero';
import { WhisperModel } from '../../lib/whisper';
import { asteriskPrompt, jfk, vadModelFile } from '../helpers/models';
import { whisperModelDir } from '../whisper/fixtures';

jest.setTimeout(300_000);

describe('the vote', () => {
  it('samples the start alone for a short file, else windows spread to the end', () => {
    expect(windowStarts(40, 5, 30)).toEqual([0]);
    expect(windowStarts(90, 5, 30)).toEqual([0, 30, 60]);
    const long = windowStarts(3600, 5, 30);
    expect(long).toHaveLength(5);
    expect(long[0]).toBe(0);
    expect(long[4]).toBe(3570);
  });

  it('weights each window by its probability and seconds of speech; the probability is the winner share of all speech', () => {
    const v = tally([
      { at: 0, language: 'es', probability: 0.99, speechSeconds: 10 },
      { at: 30, language: 'en', probability: 0.9, speechSeconds: 25 },
      { at: 60, language: 'en', probability: 0.8, speechSeconds: 25 },
    ])!;
    expect(v.language).toBe('en');
    expect(v.probability).toBeCloseTo((0.9 * 25 + 0.8 * 25) / 60, 6);
    expect(tally([])).toBeNull();
  });
});

describe('on real speech', () => {
  let vad: SileroVad;
  let whisper: WhisperModel;
  let dir: string;
  beforeAll(async () => {
    vad = await SileroVad.load(vadModelFile());
    whisper = await WhisperModel.load(whisperModelDir());
    dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'language-vote');
    fs.mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await vad?.release();
    await whisper?.release();
  });

  it('a file that opens with a Spanish prompt and then is English is labelled English', async () => {
    const es = asteriskPrompt('es', 'demo-congrats').wav;
    const clips = [es, ...Array.from({ length: 10 }, () => jfk().wav)];
    const file = path.join(dir, 'es-then-en.wav');
    const filter = clips.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur=1[a${i}]`).join(';') + ';' + clips.map((_, i) => `[a${i}]`).join('') + `concat=n=${clips.length}:v=0:a=1[o]`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...clips.flatMap((c) => ['-i', c]), '-filter_complex', filter, '-map', '[o]', file]);
    const duration = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString());
    const vote = (await voteLanguage(whisper, vad, { file, durationSeconds: duration, ffmpeg: 'ffmpeg' }))!;
    console.log(`${duration.toFixed(1)} s: ${JSON.stringify(vote)}`);
    // The first window alone (what the first chunk's detection saw) is Spanish; the file is English.
    expect(vote.windows[0].language).toBe('es');
    expect(vote.language).toBe('en');
    expect(vote.windows.length).toBeGreaterThanOrEqual(3);
    expect(vote.probability).toBeGreaterThan(0.4);
    expect(vote.probability).toBeLessThan(0.95);
  });
});
