/**
 * A realistic long transcript, as the transcribe workflow stores it: a 3-hour meeting of three
 * speakers in ~2,500 Whisper-sized segments (a sentence or two, 2-8 s), each with word timings.
 * Seeded, so every run renders the same document.
 */
import { seededRandom } from '../../lib/whisper/math';
import type { Segment, Transcript, Word } from '../../lib/transcript/types';

const VOCABULARY = (
  'we the team quarter results budget next steps customer release schedule I think that is a good point ' +
  'let us move on to the roadmap item because it depends on hiring and on the migration of our storage ' +
  'so what do you expect from marketing this month yes exactly no not really maybe later today tomorrow'
).split(' ');

export function longTranscript(hours = 3, seed = 7): Transcript {
  const rand = seededRandom(seed);
  const speakers = ['Speaker 1', 'Speaker 2', 'Speaker 3'];
  const segments: Segment[] = [];
  let t = 0.4;
  let speaker = 0;
  while (t < hours * 3600 - 10) {
    if (rand() < 0.3) speaker = Math.floor(rand() * speakers.length);
    const words: Word[] = [];
    const n = 5 + Math.floor(rand() * 11);
    for (let i = 0; i < n; i++) {
      const len = 0.15 + rand() * 0.35;
      let word = VOCABULARY[Math.floor(rand() * VOCABULARY.length)];
      if (i === 0) word = word[0].toUpperCase() + word.slice(1);
      if (i === n - 1) word += rand() < 0.2 ? '?' : '.';
      words.push({ word: ` ${word}`, start: round(t), end: round(t + len), probability: round(0.6 + rand() * 0.4), speaker: speakers[speaker] });
      t += len + rand() * 0.1;
    }
    segments.push({
      start: words[0].start,
      end: words[words.length - 1].end,
      text: words.map((w) => w.word).join(''),
      speaker: speakers[speaker],
      confidence: round(0.7 + rand() * 0.3),
      words,
    });
    t += 0.2 + rand() * 0.6;
  }
  return { text: segments.map((s) => s.text).join('').trim(), language: 'en', duration: hours * 3600, segments, speakers, model: 'base' };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Within every size bound, yet slow to lay out: `segments` paragraphs of 1,000 characters of short
 * words with combining accents (~3 ms each in pdfkit), for testing the render deadline.
 */
export function slowTranscript(segments: number): Transcript {
  const base = longTranscript(Math.ceil(segments / 800) + 1);
  return { ...base, segments: base.segments.slice(0, segments).map((s) => ({ ...s, text: 'ab\u0301c '.repeat(200), words: [] })) };
}
