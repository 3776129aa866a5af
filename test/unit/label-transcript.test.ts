import { labelTranscript } from '../../lib/diarization/label-transcript';
import type { Transcript, Word } from '../../lib/transcript/types';

const w = (word: string, start: number, end: number): Word => ({ word, start, end, probability: 0.9 });
const transcript = (): Transcript => ({
  text: 'Hello there. How are you? Fine thanks.',
  language: 'en',
  duration: 10,
  model: 'base',
  speakers: [],
  segments: [
    // One recognised segment spanning a change of speaker at 2.5 s.
    { start: 0, end: 4, text: 'Hello there. How are you?', confidence: 0.8, words: [w('Hello', 0.1, 0.5), w('there.', 0.6, 1.0), w('How', 2.6, 2.9), w('are', 3.0, 3.2), w('you?', 3.3, 3.8)] },
    { start: 5, end: 7, text: 'Fine thanks.', confidence: 0.9, words: [w('Fine', 5.2, 5.6), w('thanks.', 5.7, 6.3)] },
  ],
});

it('splits segments where the speaker changes and names speakers in order of appearance', () => {
  const t = labelTranscript(transcript(), [
    { start: 0, end: 2.2, speaker: '7' },
    { start: 2.4, end: 4.0, speaker: '3' },
    { start: 5.0, end: 6.5, speaker: '7' },
  ]);
  expect(t.speakers).toEqual(['Speaker 1', 'Speaker 2']);
  expect(t.segments.map((s) => [s.speaker, s.text, s.start, s.end])).toEqual([
    ['Speaker 1', 'Hello there.', 0, 1.0],
    ['Speaker 2', 'How are you?', 2.6, 4],
    ['Speaker 1', 'Fine thanks.', 5, 7],
  ]);
  expect(t.segments[1].words.every((x) => x.speaker === 'Speaker 2')).toBe(true);
  expect(t.segments[1].confidence).toBe(0.8);
  expect(t.text).toBe(transcript().text);
});

it('gives a word in a gap to the nearest turn, and overlapped speech to the dominant speaker', () => {
  const t = labelTranscript(transcript(), [
    { start: 0, end: 0.9, speaker: 'a' }, // "there." (0.6-1.0) mostly inside
    { start: 2.0, end: 4.0, speaker: 'b' },
    { start: 3.1, end: 3.25, speaker: 'a' }, // brief overlap inside "are": b covers more of it
    { start: 6.4, end: 9, speaker: 'a' }, // "Fine thanks." lies in a gap; the nearest turn is a's
  ]);
  expect(t.segments.map((s) => s.speaker)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 1']);
  expect(t.segments[1].words.map((x) => x.word)).toEqual(['How', 'are', 'you?']);
});

it('lists speakers heard but never transcribed after the others, and none without turns', () => {
  const t = labelTranscript(transcript(), [
    { start: 0, end: 7, speaker: 'x' },
    { start: 8, end: 9.5, speaker: 'y' },
  ]);
  expect(t.segments).toHaveLength(2);
  expect(t.speakers).toEqual(['Speaker 1', 'Speaker 2']);
  expect(labelTranscript(transcript(), []).speakers).toEqual([]);
  expect(labelTranscript(transcript(), []).segments.every((s) => s.speaker === undefined)).toBe(true);
});
