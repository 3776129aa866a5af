/**
 * Transcripts as documents people open: Word (docx) and PDF. Both carry a title, a line of facts
 * (language, duration, speakers, model) and one paragraph per segment, headed by its start time and
 * speaker. Pure JavaScript (docx, pdfkit): nothing to install on the server.
 */
import fs from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import type { Transcript } from './types';

export const DOCUMENT_CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

export interface DocumentMeta {
  title: string;
}

/** "01:02:03" (or "02:03" under an hour). */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${String(hh).padStart(2, '0')}:${mm}:${ss}` : `${mm}:${ss}`;
}

function facts(t: Transcript): string {
  const parts = [`Language: ${t.language}`, `Duration: ${clock(t.duration)}`];
  if (t.speakers.length) parts.push(`Speakers: ${t.speakers.length}`);
  parts.push(`Model: ${t.model}`);
  return parts.join(' · ');
}

const heading = (s: Transcript['segments'][number]) => `[${clock(s.start)}]${s.speaker ? ` ${s.speaker}` : ''}`;

export async function toDocx(t: Transcript, meta: DocumentMeta): Promise<Buffer> {
  const doc = new Document({
    title: meta.title,
    creator: 'voxflow',
    sections: [
      {
        children: [
          new Paragraph({ text: meta.title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun({ text: facts(t), italics: true, color: '666666' })] }),
          ...t.segments.map(
            (s) =>
              new Paragraph({
                spacing: { before: 120 },
                children: [new TextRun({ text: `${heading(s)} `, bold: true, color: '444444' }), new TextRun(s.text.trim())],
              }),
          ),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export function toPdf(t: Transcript, meta: DocumentMeta, opts: { font?: string } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: meta.title, Creator: 'voxflow' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    // Helvetica covers Latin-1 only; a Unicode TrueType font keeps other scripts readable.
    if (opts.font && fs.existsSync(opts.font)) doc.font(opts.font);
    doc.fontSize(18).fillColor('black').text(meta.title);
    doc.moveDown(0.3).fontSize(10).fillColor('#666666').text(facts(t));
    doc.moveDown();
    for (const s of t.segments) {
      doc.fontSize(11).fillColor('#444444').text(`${heading(s)} `, { continued: true }).fillColor('black').text(s.text.trim());
      doc.moveDown(0.4);
    }
    doc.end();
  });
}
