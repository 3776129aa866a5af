/**
 * Puts speakers into a transcript: each word takes the speaker whose turn covers most of it (the
 * nearest turn when it falls in a gap), segments are split where the speaker changes, and speakers are
 * named "Speaker 1", "Speaker 2", ... in order of first appearance. Where turns overlap, the longer
 * overlap wins, so overlapped speech goes to the dominant speaker.
 */
import type { Segment, Transcript, Word } from '../transcript/types';
import type { SpeakerTurn } from './types';

export function labelTranscript(t: Transcript, turns: SpeakerTurn[]): Transcript {
  if (!turns.length) return { ...t, speakers: [] };
  const sorted = [...turns].sort((a, b) => a.start - b.start);
  const pieces: Array<{ seg: Segment; speaker: string }> = [];
  for (const seg of t.segments) {
    if (!seg.words.length) {
      pieces.push({ seg, speaker: speakerAt(sorted, seg.start, seg.end) });
      continue;
    }
    const who = seg.words.map((w) => speakerAt(sorted, w.start, w.end));
    let from = 0;
    for (let i = 1; i <= seg.words.length; i++) {
      if (i < seg.words.length && who[i] === who[from]) continue;
      pieces.push({ seg: slice(seg, from, i), speaker: who[from] });
      from = i;
    }
  }

  // Public names in order of first appearance in the text; speakers heard but never transcribed last.
  const names = new Map<string, string>();
  const name = (raw: string) => {
    if (!names.has(raw)) names.set(raw, `Speaker ${names.size + 1}`);
    return names.get(raw)!;
  };
  const segments = pieces.map(({ seg, speaker }) => {
    const s = name(speaker);
    return { ...seg, speaker: s, words: seg.words.map((w) => ({ ...w, speaker: s })) };
  });
  for (const turn of sorted) name(turn.speaker);
  return { ...t, segments, speakers: [...names.values()] };
}

/** The speaker with the most overlap with [start, end]; the nearest turn when none overlaps. */
function speakerAt(turns: SpeakerTurn[], start: number, end: number): string {
  const time = new Map<string, number>();
  let nearest = turns[0];
  let gap = Infinity;
  for (const turn of turns) {
    const o = Math.min(end, turn.end) - Math.max(start, turn.start);
    if (o > 0) time.set(turn.speaker, (time.get(turn.speaker) ?? 0) + o);
    const g = Math.max(turn.start - end, start - turn.end, 0);
    if (g < gap) {
      gap = g;
      nearest = turn;
    }
    if (turn.start > end + gap) break; // sorted by start: nothing later can be nearer
  }
  if (!time.size) return nearest.speaker;
  return [...time.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** Words [from, to) of a segment as a segment of their own, its text cut from the original text. */
function slice(seg: Segment, from: number, to: number): Segment {
  if (from === 0 && to === seg.words.length) return seg;
  const words: Word[] = seg.words.slice(from, to);
  const cut = (i: number) => (i >= seg.words.length ? seg.text.length : wordOffset(seg, i));
  const text = seg.text.slice(cut(from), cut(to)).trim() || words.map((w) => w.word).join(' ');
  return {
    ...seg,
    start: from === 0 ? seg.start : words[0].start,
    end: to === seg.words.length ? seg.end : words[words.length - 1].end,
    text,
    words,
  };
}

/** Where word i starts in the segment's text (words appear in the text in order). */
function wordOffset(seg: Segment, i: number): number {
  let pos = 0;
  for (let k = 0; k <= i; k++) {
    const at = seg.text.indexOf(seg.words[k].word, pos);
    if (at < 0) return pos;
    if (k === i) return at;
    pos = at + seg.words[k].word.length;
  }
  return pos;
}
