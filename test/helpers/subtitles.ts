/** Strict little SRT/WebVTT parsers: the tests validate our output with them, cue by cue. */
export interface ParsedCue {
  index?: number;
  start: number;
  end: number;
  text: string;
}

const ts = (h: string, m: string, s: string, ms: string) => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

export function parseSrt(src: string): ParsedCue[] {
  if (src.includes('\r')) throw new Error('SRT should use \\n line endings consistently');
  const blocks = src.trim().split(/\n\n+/);
  return blocks.map((b, i) => {
    const lines = b.split('\n');
    if (!/^\d+$/.test(lines[0])) throw new Error(`cue ${i + 1}: bad index line ${JSON.stringify(lines[0])}`);
    const m = /^(\d{2}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2}):(\d{2}):(\d{2}),(\d{3})$/.exec(lines[1] ?? '');
    if (!m) throw new Error(`cue ${i + 1}: bad timing line ${JSON.stringify(lines[1])}`);
    const text = lines.slice(2).join('\n');
    if (!text.trim()) throw new Error(`cue ${i + 1}: empty text`);
    return { index: Number(lines[0]), start: ts(m[1], m[2], m[3], m[4]), end: ts(m[5], m[6], m[7], m[8]), text };
  });
}

export function parseVtt(src: string): ParsedCue[] {
  if (!/^WEBVTT(\s|$)/.test(src)) throw new Error('missing WEBVTT header');
  const blocks = src.trim().split(/\n\n+/).slice(1);
  return blocks.map((b, i) => {
    const lines = b.split('\n');
    const timingLine = lines.findIndex((l) => l.includes('-->'));
    const m = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(lines[timingLine] ?? '');
    if (!m) throw new Error(`cue ${i + 1}: bad timing line`);
    const text = lines.slice(timingLine + 1).join('\n');
    if (!text.trim()) throw new Error(`cue ${i + 1}: empty text`);
    if (/-->/.test(text)) throw new Error(`cue ${i + 1}: text contains -->`);
    return { start: ts(m[1], m[2], m[3], m[4]), end: ts(m[5], m[6], m[7], m[8]), text };
  });
}

/** Checks every property a player relies on: order, positive length, no overlap. */
export function assertWellFormed(cues: ParsedCue[]): void {
  cues.forEach((c, i) => {
    if (c.index !== undefined && c.index !== i + 1) throw new Error(`cue ${i + 1} numbered ${c.index}`);
    if (!(c.end > c.start)) throw new Error(`cue ${i + 1} has non-positive length`);
    if (i > 0 && c.start < cues[i - 1].end) throw new Error(`cue ${i + 1} overlaps the previous one`);
  });
}
