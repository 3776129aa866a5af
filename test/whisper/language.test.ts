import { WhisperModel } from '../../lib/whisper';
import { synthesize, whisperModelDir } from './fixtures';
import { readWav16kMono } from '../helpers/wav';

// espeak-ng voices are robotic; they are enough for language identification, not for WER.
const SENTENCES: Array<[lang: string, voice: string, text: string]> = [
  ['de', 'de', 'Guten Morgen. Heute ist das Wetter schön, und wir gehen am Nachmittag in den Park spazieren.'],
  ['fr', 'fr', "La ville de Paris est la capitale de la France. Elle compte plus de deux millions d'habitants."],
];

describe('language identification and non-English decoding', () => {
  let model: WhisperModel;
  beforeAll(async () => {
    model = await WhisperModel.load(whisperModelDir());
  });
  afterAll(async () => {
    await model?.release();
  });

  test.each(SENTENCES)('synthetic %s speech (espeak-ng) is identified and transcribed with timed words', async (lang, voice, sentence) => {
    const pcm = readWav16kMono(synthesize(voice, sentence));
    const detected = await model.detectLanguage(pcm);
    expect(detected.language).toBe(lang);
    expect(detected.probability).toBeGreaterThan(0);
    expect(detected.probability).toBeLessThanOrEqual(1);

    const r = await model.transcribeChunk(pcm, { language: lang, wordTimestamps: true });
    expect(r.language).toBe(lang);
    const words = r.segments.flatMap((s) => s.words);
    expect(words.length).toBeGreaterThan(3);
    expect(words.map((w) => w.word).join('')).toBe(r.segments.map((s) => s.text).join(''));
    for (let i = 1; i < words.length; i++) expect(words[i].start).toBeGreaterThanOrEqual(words[i - 1].end);
  });

  test('an unknown language code is rejected before any work', async () => {
    await expect(model.transcribeChunk(new Float32Array(16000), { language: 'xx' })).rejects.toThrow(/Unknown language/);
  });
});
