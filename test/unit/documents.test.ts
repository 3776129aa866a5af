/** DOCX and PDF exports, read back with real tools (unzip, pdftotext) rather than trusted blindly; hostile strings bounded. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentTooLargeError, MAX_LABEL_CHARS, MAX_SEGMENT_CHARS, MAX_TITLE_CHARS, bounded, toDocx, toPdf } from '../../lib/transcript/documents';
import type { Transcript } from '../../lib/transcript/types';

const transcript: Transcript = {
  text: 'Good morning everyone. Привет, как дела? Grüße aus Köln.',
  language: 'en',
  duration: 3725,
  model: 'base',
  speakers: ['Speaker 1', 'Speaker 2'],
  segments: [
    { start: 0.5, end: 2, text: 'Good morning everyone.', speaker: 'Speaker 1', confidence: 0.9, words: [] },
    { start: 65, end: 67, text: 'Привет, как дела?', speaker: 'Speaker 2', confidence: 0.8, words: [] },
    { start: 3700, end: 3702, text: 'Grüße aus Köln.', speaker: 'Speaker 1', confidence: 0.85, words: [] },
  ],
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-docs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes a Word document with the title, facts, times, speakers and text', async () => {
  const file = path.join(dir, 't.docx');
  fs.writeFileSync(file, await toDocx(transcript, { title: 'Transcript: meeting.mp3' }));
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
  for (const s of ['Transcript: meeting.mp3', 'Duration: 01:02:05', 'Speakers: 2', '[00:00] Speaker 1', '[01:05] Speaker 2', '[01:01:40] Speaker 1', 'Привет, как дела?', 'Grüße aus Köln.']) {
    expect(xml).toContain(s);
  }
});

it('writes a PDF whose text reads back, other scripts included with the Unicode font', async () => {
  const file = path.join(dir, 't.pdf');
  const pdf = await toPdf(transcript, { title: 'Transcript: meeting.mp3' }, { font: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
  for (const s of ['Transcript: meeting.mp3', '[01:05] Speaker 2', 'Привет, как дела?', 'Grüße aus Köln.', 'Good morning everyone.']) expect(text).toContain(s);
});

it('falls back to Helvetica when the font file is missing (Latin text still reads back)', async () => {
  const file = path.join(dir, 'h.pdf');
  fs.writeFileSync(file, await toPdf(transcript, { title: 'T' }, { font: '/nonexistent/font.ttf' }));
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
  expect(text).toContain('Good morning everyone.');
  expect(text).toContain('Grüße aus Köln.');
});

describe('every user-controlled string is bounded before it reaches a document', () => {
  // A 10,000-character filename took pdfkit ~4 s on the API's event loop (its wrapping is quadratic).
  const hostile: Transcript = {
    ...transcript,
    model: 'base',
    segments: [
      { start: 1, end: 2, text: `${'z'.repeat(50_000)} tail`, speaker: `Speaker ${'s'.repeat(10_000)}`, confidence: 0.9, words: [] },
      { start: 3, end: 4, text: 'Bell\u0007 and\u0000 null.', speaker: 'Speaker 2', confidence: 0.9, words: [] },
    ],
  };
  const title = `Transcript: ${'n'.repeat(10_000)}\u0001.wav`;

  it(`cuts the title to ${MAX_TITLE_CHARS} characters, a segment to ${MAX_SEGMENT_CHARS}, a speaker to ${MAX_LABEL_CHARS}, and drops control characters (PDF)`, async () => {
    const started = Date.now();
    const file = path.join(dir, 'bounded.pdf');
    fs.writeFileSync(file, await toPdf(hostile, { title }, { font: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' }));
    expect(Date.now() - started).toBeLessThan(3000);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    // Long runs wrap over lines: compare without whitespace.
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`Transcript:${'n'.repeat(MAX_TITLE_CHARS - 'Transcript: '.length - 1)}…`);
    expect(flat).not.toContain('n'.repeat(MAX_TITLE_CHARS));
    expect(flat).toContain(`${'z'.repeat(MAX_SEGMENT_CHARS - 1)}…`);
    expect(flat).not.toContain('z'.repeat(MAX_SEGMENT_CHARS));
    expect(flat).toContain(`Speaker${'s'.repeat(MAX_LABEL_CHARS - 'Speaker '.length - 1)}…`);
    expect(flat).not.toContain('s'.repeat(MAX_LABEL_CHARS));
    expect(text).toMatch(/Bell\s+and\s+null\./); // pdftotext collapses the spaces that replaced them
  });

  it('writes a valid Word document from the same hostile strings (no control characters in the XML)', async () => {
    const file = path.join(dir, 'bounded.docx');
    fs.writeFileSync(file, await toDocx(hostile, { title }));
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain(`Transcript: ${'n'.repeat(MAX_TITLE_CHARS - 'Transcript: '.length - 1)}…`);
    expect(xml).not.toContain('n'.repeat(MAX_TITLE_CHARS));
    expect(xml).not.toContain('z'.repeat(MAX_SEGMENT_CHARS));
    expect(xml).toContain('Bell  and  null.');
    const core = execFileSync('unzip', ['-p', file, 'docProps/core.xml']).toString('utf8');
    expect(core).not.toContain('n'.repeat(MAX_TITLE_CHARS));
  });

  it('never splits a character outside the Basic Multilingual Plane and repairs lone surrogates', () => {
    expect(bounded('😀'.repeat(300), 10)).toBe(`${'😀'.repeat(9)}…`);
    expect(bounded('ok\ud800ok', 10)).toBe('ok\ufffdok');
    expect(bounded('short', 255)).toBe('short');
  });

  it('stops at the output bound instead of building an unbounded document', async () => {
    await expect(toPdf(transcript, { title: 'T' }, { maxBytes: 100 })).rejects.toThrow(DocumentTooLargeError);
    await expect(toDocx(transcript, { title: 'T' }, { maxBytes: 100 })).rejects.toThrow(/would exceed/);
  });
});
