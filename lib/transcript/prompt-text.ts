/**
 * A stored transcript as the text steps see it: one segment per line, with its start time and
 * speaker, `[01:23] Speaker 1: text`. The LLM gets real timestamps and speakers in its prompt, and
 * steps that return times (chapter markers) map the model's answer back onto real segment starts
 * with `promptLines`. Plain text with no such lines parses to no lines.
 */
import type { Transcript } from './types';

export interface PromptLine {
  /** Seconds from the start of the audio. */
  start: number;
  speaker?: string;
  text: string;
}

/** `[mm:ss]`, or `[h:mm:ss]` from an hour on. */
export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds of a `mm:ss` or `h:mm:ss` clock time; NaN when it is not one. */
export function parseClockTime(clock: string): number {
  const m = /^\s*(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?\s*$/.exec(clock);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : NaN;
}

export function transcriptPromptText(t: Pick<Transcript, 'segments'>): string {
  return t.segments
    .filter((s) => s.text.trim())
    .map((s) => `[${clockTime(s.start)}] ${s.speaker ? `${s.speaker}: ` : ''}${s.text.trim().replace(/\s+/g, ' ')}`)
    .join('\n');
}

const LINE = /^\[((?:\d+:)?\d{1,2}:\d{2})\] (?:([^:\n]{1,64}): )?(.*)$/;

export function promptLines(text: string): PromptLine[] {
  const out: PromptLine[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) out.push({ start: parseClockTime(m[1]), speaker: m[2], text: m[3] });
  }
  return out;
}
