/**
 * What analyze reads deterministically from the text before (or instead of) asking the model: the
 * speaker turns (a stored transcript's "[mm:ss] Speaker 1: …" lines or a plain "Name: …"
 * dialogue), the questions asked (sentences ending in "?", with who asked and when) and the
 * commitment sentences action items come from (summary-prompts.ts commitmentLines).
 */
import { parseClockTime } from '../transcript/prompt-text';
import { commitmentLines } from './summary-prompts';

export interface Turn {
  speaker: string | null;
  /** Seconds (a stored transcript's line time); null in plain text. */
  at: number | null;
  text: string;
}

const TIMED = /^\s*\[((?:\d+:)?\d{1,2}:\d{2})\]\s*(.*)$/;
/** "Name: words": at most four words before the colon, so a sentence with a colon is not a turn. */
const NAMED = /^\s*(\p{L}[\p{L}\p{N}.'-]*(?: [\p{L}\p{N}][\p{L}\p{N}.'-]*){0,3}):\s+(.*)$/u;

export function turns(text: string): Turn[] {
  const out: Turn[] = [];
  for (const raw of text.split(/\n+/)) {
    if (!raw.trim()) continue;
    const timed = TIMED.exec(raw);
    const rest = timed ? timed[2] : raw;
    const named = NAMED.exec(rest);
    out.push({ speaker: named ? named[1] : null, at: timed ? parseClockTime(timed[1]) : null, text: (named ? named[2] : rest).trim() });
  }
  return out;
}

/** Distinct speakers in order of first turn (at most `max`: a per-speaker grammar must stay small). */
export function speakersOf(text: string, max = 12): string[] {
  const seen: string[] = [];
  for (const t of turns(text)) if (t.speaker && !seen.includes(t.speaker) && seen.length < max) seen.push(t.speaker);
  return seen;
}

/** "Speaker 1", "SPEAKER_02": a diarization label, not a person's name. */
export const isGenericSpeaker = (s: string) => /^speaker[ _]?\d+$/i.test(s.trim());

export interface AskedQuestion {
  question: string;
  asked_by: string | null;
  at: number | null;
}

/** Every sentence that ends in "?" (each once per speaker), in order. */
export function questionsOf(text: string): AskedQuestion[] {
  const out: AskedQuestion[] = [];
  const seen = new Set<string>();
  for (const t of turns(text)) {
    for (const sentence of t.text.split(/(?<=[.!?…])\s+/)) {
      const q = sentence.trim();
      if (!/[?？]$/.test(q) || q.length < 3) continue;
      const key = `${t.speaker ?? ''}\u0000${q.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ question: q, asked_by: t.speaker, at: t.at });
    }
  }
  return out;
}

/** The commitment sentences, "Speaker: sentence", from plain or timed turns (the times dropped: the model works on words). */
export function commitmentsOf(text: string): string[] {
  return commitmentLines(
    turns(text)
      .map((t) => (t.speaker ? `${t.speaker}: ${t.text}` : t.text))
      .join('\n'),
  );
}
