/**
 * Transcript renderings: plain text, SubRip and WebVTT. Long segments are split into readable
 * cues (at most two lines of ~42 characters, at most ~7 s), using word timings where present.
 */
import type { Segment, Transcript, Word } from './types';

export type ResponseFormat = 'json' | 'txt' | 'srt' | 'vtt';
export const RESPONSE_FORMATS: readonly ResponseFormat[] = ['json', 'txt', 'srt', 'vtt'];

export const CONTENT_TYPES: Record<ResponseFormat, string> = {
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
};

export interface CueOptions {
  maxLineChars: number;
  maxLines: number;
  maxCueSeconds: number;
}

const DEFAULT_CUES: CueOptions = { maxLineChars: 42, maxLines: 2, maxCueSeconds: 7 };

export interface Cue {
  start: number;
  end: number;
  lines: string[];
  speaker?: string;
}

export function toText(t: Transcript): string {
  const multi = t.speakers.length > 1;
  return (
    t.segments
      .map((s) => (multi && s.speaker ? `${s.speaker}: ${s.text.trim()}` : s.text.trim()))
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

export function toSrt(t: Transcript, opts: Partial<CueOptions> = {}): string {
  return (
    toCues(t, opts)
      .map((c, i) => `${i + 1}\n${stamp(c.start, ',')} --> ${stamp(c.end, ',')}\n${label(c, t)}${c.lines.join('\n')}\n`)
      .join('\n')
  );
}

export function toVtt(t: Transcript, opts: Partial<CueOptions> = {}): string {
  const cues = toCues(t, opts).map((c) => {
    const text = c.lines.map(escapeVtt).join('\n');
    const voice = t.speakers.length > 1 && c.speaker ? `<v ${escapeVtt(c.speaker)}>` : '';
    return `${stamp(c.start, '.')} --> ${stamp(c.end, '.')}\n${voice}${text}\n`;
  });
  return ['WEBVTT', '', ...cues.flatMap((c) => [c])].join('\n');
}

/** One row per segment: spreadsheet-friendly, RFC 4180 quoting. */
export function toCsv(t: Transcript): string {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = t.segments.map((s) => [s.start.toFixed(3), s.end.toFixed(3), s.speaker ?? '', s.text.trim(), s.confidence.toFixed(3)].map(q).join(','));
  return ['start,end,speaker,text,confidence', ...rows].join('\r\n') + '\r\n';
}

export function render(t: Transcript, format: ResponseFormat): string {
  switch (format) {
    case 'txt':
      return toText(t);
    case 'srt':
      return toSrt(t);
    case 'vtt':
      return toVtt(t);
    default:
      return JSON.stringify(t);
  }
}

const label = (c: Cue, t: Transcript) => (t.speakers.length > 1 && c.speaker ? `[${c.speaker}] ` : '');

/** HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT). */
export function stamp(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

const escapeVtt = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/-->/g, '→');

export function toCues(t: Transcript, opts: Partial<CueOptions> = {}): Cue[] {
  const o = { ...DEFAULT_CUES, ...opts };
  const cues: Cue[] = [];
  for (const seg of t.segments) {
    if (!seg.text.trim()) continue;
    const words = (seg.words.length ? seg.words : spreadWords(seg)).filter((w) => w.word.trim());
    for (const group of splitBalanced(words, o)) {
      cues.push({
        start: group[0].start,
        end: group[group.length - 1].end,
        lines: wrap(group.map((w) => w.word.trim()).join(' '), o.maxLineChars),
        speaker: seg.speaker,
      });
    }
  }
  // Cues must not overlap and must have positive length.
  for (let i = 0; i < cues.length; i++) {
    if (i + 1 < cues.length && cues[i].end > cues[i + 1].start) cues[i].end = cues[i + 1].start;
    if (cues[i].end <= cues[i].start) cues[i].end = cues[i].start + 0.001;
  }
  return cues;
}

const fits = (words: Word[], o: CueOptions) =>
  wrap(words.map((w) => w.word.trim()).join(' '), o.maxLineChars).length <= o.maxLines &&
  words[words.length - 1].end - words[0].start <= o.maxCueSeconds;

/**
 * Splits a segment's words into cues that fit, cutting where the halves are most even in length,
 * preferring sentence and clause ends: no orphaned one-word cues at the end of a segment.
 */
function splitBalanced(words: Word[], o: CueOptions): Word[][] {
  if (words.length <= 1 || fits(words, o)) return [words];
  const len = (ws: Word[]) => ws.reduce((a, w) => a + w.word.trim().length + 1, 0);
  const total = len(words);
  let best = 1;
  let bestCost = Infinity;
  let left = 0;
  for (let i = 1; i < words.length; i++) {
    left += words[i - 1].word.trim().length + 1;
    const prev = words[i - 1].word.trim();
    const bonus = /[.!?]$/.test(prev) ? 0.35 : /[,;:]$/.test(prev) ? 0.2 : 0;
    const cost = Math.abs(left / total - 0.5) - bonus;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  }
  return [...splitBalanced(words.slice(0, best), o), ...splitBalanced(words.slice(best), o)];
}

/** Greedy word wrap; a single over-long word stays whole on its own line. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Without word timings, share the segment's time across its words by length. */
function spreadWords(seg: Segment): Word[] {
  const parts = seg.text.trim().split(/\s+/).filter(Boolean);
  const total = parts.reduce((a, p) => a + p.length, 0) || 1;
  let t = seg.start;
  return parts.map((p) => {
    const d = ((seg.end - seg.start) * p.length) / total;
    const w = { word: p, start: t, end: t + d };
    t += d;
    return w;
  });
}
