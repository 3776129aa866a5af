import { WhisperModel, type ChunkResult } from '../../lib/whisper';
import { jfkWav, librivoxClips, whisperModelDir } from './fixtures';
import { readWav16kMono } from '../helpers/wav';
import { normalizeWords, wordErrorRate } from '../helpers/wer';

const JFK_REFERENCE = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';

const text = (r: ChunkResult) => r.segments.map((s) => s.text).join('');

function expectWellFormedWords(r: ChunkResult): void {
  let prev = 0;
  for (const seg of r.segments) {
    expect(seg.start).toBeGreaterThanOrEqual(prev);
    expect(seg.end).toBeGreaterThanOrEqual(seg.start);
    expect(seg.confidence).toBeGreaterThan(0);
    expect(seg.confidence).toBeLessThanOrEqual(1);
    for (const w of seg.words) {
      expect(w.start).toBeGreaterThanOrEqual(prev); // monotonic across the chunk
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.start).toBeGreaterThanOrEqual(seg.start);
      expect(w.end).toBeLessThanOrEqual(seg.end);
      expect(w.probability).toBeGreaterThanOrEqual(0);
      expect(w.probability).toBeLessThanOrEqual(1);
      prev = w.start;
    }
    prev = Math.max(prev, seg.end);
  }
}

describe('WhisperModel on real speech (fp32 decoder)', () => {
  let model: WhisperModel;
  beforeAll(async () => {
    model = await WhisperModel.load(whisperModelDir());
  });
  afterAll(async () => {
    await model?.release();
  });

  test('exposes identity and languages from the manifest', () => {
    expect(model.id).toMatch(/whisper/);
    expect(model.multilingual).toBe(true);
    expect(model.languages).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'zh', 'ja']));
  });

  test('jfk.wav: English detected, transcript within WER 0.15, word timestamps sane', async () => {
    const pcm = readWav16kMono(jfkWav());
    const lang = await model.detectLanguage(pcm);
    expect(lang.language).toBe('en');
    expect(lang.probability).toBeGreaterThan(0.5);

    const r = await model.transcribeChunk(pcm, { language: 'en', wordTimestamps: true });
    expect(r.language).toBe('en');
    expect(r.noSpeechProb).toBeLessThan(0.5);
    expect(wordErrorRate(JFK_REFERENCE, text(r))).toBeLessThanOrEqual(0.15);

    const words = r.segments.flatMap((s) => s.words);
    expect(Math.abs(words.length - normalizeWords(JFK_REFERENCE).length)).toBeLessThanOrEqual(3);
    expect(words[0].start).toBeLessThan(1.0);
    expect(words[words.length - 1].end).toBeGreaterThanOrEqual(9.5);
    expect(words[words.length - 1].end).toBeLessThanOrEqual(11.1);
    expect(words.map((w) => w.word).join('')).toBe(text(r)); // words partition the text
    expectWellFormedWords(r);
  });

  test('jfk.wav without word timestamps: same text, no words, segment times inside the audio', async () => {
    const pcm = readWav16kMono(jfkWav());
    const r = await model.transcribeChunk(pcm, { language: 'en', temperatureFallback: true });
    expect(wordErrorRate(JFK_REFERENCE, text(r))).toBeLessThanOrEqual(0.15);
    for (const s of r.segments) {
      expect(s.words).toEqual([]);
      expect(s.end).toBeLessThanOrEqual(pcm.length / 16000);
    }
  });

  test('a window prompted with the text before it (previousTokens) still transcribes right, and its segments carry their tokens for the next prompt', async () => {
    const pcm = readWav16kMono(jfkWav());
    const cold = await model.transcribeChunk(pcm, { language: 'en' });
    const tokens = cold.segments.flatMap((s) => s.tokens ?? []);
    expect(tokens.length).toBeGreaterThan(10);
    expect(tokens.some((t) => t >= 50364)).toBe(true); // timestamps included, as openai-whisper prompts them
    // Far more than the 223 the prompt keeps: only the last ones are read, and the decoder still has room.
    const long = Array.from({ length: 8 }, () => tokens).flat();
    const prompted = await model.transcribeChunk(pcm, { language: 'en', previousTokens: long });
    expect(wordErrorRate(JFK_REFERENCE, text(prompted))).toBeLessThanOrEqual(0.15);
    expect(prompted.temperature).toBe(0);
  });

  test('LibriVox clips (pocketsphinx-testdata): WER ≤ 0.25 on each', async () => {
    const clips = librivoxClips();
    expect(clips.length).toBeGreaterThanOrEqual(3);
    for (const clip of clips) {
      const r = await model.transcribeChunk(readWav16kMono(clip.wav), { language: 'en', wordTimestamps: true, temperatureFallback: true });
      const wer = wordErrorRate(clip.text, text(r));
      if (wer > 0.25) throw new Error(`${clip.wav}: WER ${wer.toFixed(2)}\n  ref: ${clip.text}\n  hyp: ${text(r)}`);
      expectWellFormedWords(r);
    }
  }, 300_000); // five decodes; CI cores are shared

  test('a 27 s window of five LibriVox clips: several segments, and each clip\'s first word starts where the clip was placed', async () => {
    const clips = librivoxClips();
    const gap = 8000; // 0.5 s of silence between clips
    const parts = clips.map((c) => readWav16kMono(c.wav));
    const pcm = new Float32Array(parts.reduce((n, p) => n + p.length + gap, 0));
    const starts: number[] = [];
    let offset = 0;
    for (const p of parts) { starts.push(offset / 16000); pcm.set(p, offset); offset += p.length + gap; }
    expect(pcm.length / 16000).toBeLessThanOrEqual(30);

    const r = await model.transcribeChunk(pcm, { language: 'en', wordTimestamps: true, temperatureFallback: true });
    expect(r.segments.length).toBeGreaterThanOrEqual(3);
    expect(wordErrorRate(clips.map((c) => c.text).join(' '), text(r))).toBeLessThanOrEqual(0.25);
    expectWellFormedWords(r);
    const words = r.segments.flatMap((s) => s.words);
    clips.forEach((clip, i) => {
      const first = words.find((w) => w.start >= starts[i] - 0.3);
      expect(first && normalizeWords(first.word)[0]).toBe(normalizeWords(clip.text)[0]);
      expect(first!.start).toBeLessThanOrEqual(starts[i] + 0.6);
    });
  }, 300_000);

  test("a cancelled job's signal stops transcribeChunk before it decodes, and the model serves the next call", async () => {
    const pcm = readWav16kMono(jfkWav());
    const ac = new AbortController();
    ac.abort(new Error('job cancelled'));
    await expect(model.transcribeChunk(pcm, { language: 'en', temperatureFallback: true, signal: ac.signal })).rejects.toThrow('job cancelled');
    const r = await model.transcribeChunk(pcm.subarray(0, 16000 * 4), { language: 'en' });
    expect(text(r).toLowerCase()).toContain('americans');
  });

  test('10 s of digital silence yields no segments', async () => {
    const r = await model.transcribeChunk(new Float32Array(10 * 16000), { language: 'en', wordTimestamps: true, temperatureFallback: true });
    expect(r.segments).toEqual([]);
  });

  test('10 s of faint noise (about -60 dBFS) yields no segments: the no-speech rule, not the silence gate', async () => {
    let seed = 12345; // deterministic LCG noise
    const pcm = Float32Array.from({ length: 10 * 16000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed / 2 ** 32 - 0.5) * 2e-3;
    });
    const r = await model.transcribeChunk(pcm, { language: 'en', temperatureFallback: true });
    expect(r.noSpeechProb).toBeGreaterThan(0.6);
    expect(r.segments).toEqual([]);
  });
});

describe('WhisperModel with the int8 decoder', () => {
  test('jfk.wav still transcribes within WER 0.15', async () => {
    const model = await WhisperModel.load(whisperModelDir(), { decoder: 'int8', intraOpNumThreads: 1 });
    try {
      const r = await model.transcribeChunk(readWav16kMono(jfkWav()), { language: 'en', wordTimestamps: true });
      expect(wordErrorRate(JFK_REFERENCE, text(r))).toBeLessThanOrEqual(0.15);
      expectWellFormedWords(r);
    } finally {
      await model.release();
    }
  });
});
