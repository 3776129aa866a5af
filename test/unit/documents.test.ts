/** DOCX and PDF exports, read back with real tools (unzip, pdftotext) rather than trusted blindly. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toDocx, toPdf } from '../../lib/transcript/documents';
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
