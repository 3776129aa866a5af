/**
 * Transcripts as documents people open: Word (docx) and PDF. Both carry a title, a line of facts
 * (language, duration, speakers, model) and one paragraph per segment, headed by its start time and
 * speaker. Pure JavaScript (docx, pdfkit): nothing to install on the server.
 *
 * These functions are CPU-bound (seconds for a long transcript), so the API never calls them on its
 * event loop: it goes through `render-pool.ts`, which runs them in a worker thread with time, size
 * and memory bounds. Every string that reaches a document is bounded here, whoever calls.
 */
import fs from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import type { Transcript } from './types';

export const DOCUMENT_CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

export type DocumentFormat = keyof typeof DOCUMENT_CONTENT_TYPES;

export interface DocumentMeta {
  title: string;
}

export interface DocumentOptions {
  /** A Unicode TrueType font for PDFs (Helvetica, Latin-1 only, when missing). */
  font?: string;
  /** Output bound: rendering stops with DocumentTooLargeError past this many bytes. */
  maxBytes?: number;
}

/**
 * Caps on user-controlled strings. pdfkit wraps a run without spaces character by character, in time
 * quadratic in its length (a 200,000-character filename title never finished), and nobody reads a
 * title or a speaker label longer than these; a Whisper segment (at most 30 s of speech) is far
 * shorter than MAX_SEGMENT_CHARS, so only hostile or corrupt data is cut.
 */
export const MAX_TITLE_CHARS = 255;
export const MAX_SEGMENT_CHARS = 1000;
export const MAX_LABEL_CHARS = 64;

export class DocumentTooLargeError extends Error {}

// C0/C1 control characters are invalid in OOXML (Word refuses the file) and meaningless in a PDF.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// A lone surrogate (a filename cut mid-character somewhere upstream) is not encodable as UTF-8 XML.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string without control characters, cut to `max` code points (never inside a surrogate pair), "…" marking a cut. */
export function bounded(s: string, max: number): string {
  // Slice first so a huge input never becomes a huge array of code points.
  const head = s.slice(0, max * 2 + 2);
  const points = Array.from(head);
  const cut = points.length > max || s.length > head.length;
  return (cut ? `${points.slice(0, max - 1).join('')}…` : head).replace(CONTROL, ' ').replace(LONE_SURROGATE, '\ufffd');
}

/** "01:02:03" (or "02:03" under an hour). */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${String(hh).padStart(2, '0')}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** What a document shows, every string already bounded: the one input both renderers lay out. */
interface Layout {
  title: string;
  facts: string;
  paragraphs: Array<{ heading: string; text: string }>;
}

function layout(t: Transcript, meta: DocumentMeta): Layout {
  const parts = [`Language: ${bounded(String(t.language), MAX_LABEL_CHARS)}`, `Duration: ${clock(t.duration)}`];
  if (t.speakers?.length) parts.push(`Speakers: ${t.speakers.length}`);
  parts.push(`Model: ${bounded(String(t.model), MAX_LABEL_CHARS)}`);
  return {
    title: bounded(meta.title, MAX_TITLE_CHARS),
    facts: parts.join(' · '),
    paragraphs: t.segments.map((s) => ({
      heading: `[${clock(s.start)}]${s.speaker ? ` ${bounded(String(s.speaker), MAX_LABEL_CHARS)}` : ''}`,
      text: bounded(String(s.text ?? '').trim(), MAX_SEGMENT_CHARS),
    })),
  };
}

export async function toDocx(t: Transcript, meta: DocumentMeta, opts: DocumentOptions = {}): Promise<Buffer> {
  const l = layout(t, meta);
  const doc = new Document({
    title: l.title,
    creator: 'voxflow',
    sections: [
      {
        children: [
          new Paragraph({ text: l.title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun({ text: l.facts, italics: true, color: '666666' })] }),
          ...l.paragraphs.map(
            (p) =>
              new Paragraph({
                spacing: { before: 120 },
                children: [new TextRun({ text: `${p.heading} `, bold: true, color: '444444' }), new TextRun(p.text)],
              }),
          ),
        ],
      },
    ],
  });
  const out = await Packer.toBuffer(doc);
  if (opts.maxBytes !== undefined && out.length > opts.maxBytes) throw tooLarge('docx', opts.maxBytes);
  return out;
}

export function toPdf(t: Transcript, meta: DocumentMeta, opts: DocumentOptions = {}): Promise<Buffer> {
  const l = layout(t, meta);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: l.title, Creator: 'voxflow' } });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    doc.on('data', (c: Buffer) => {
      bytes += c.length;
      if (opts.maxBytes !== undefined && bytes > opts.maxBytes) over = true;
      else chunks.push(c);
    });
    doc.on('end', () => (over ? reject(tooLarge('pdf', opts.maxBytes!)) : resolve(Buffer.concat(chunks))));
    doc.on('error', reject);
    // Helvetica covers Latin-1 only; a Unicode TrueType font keeps other scripts readable.
    if (opts.font && fs.existsSync(opts.font)) doc.font(opts.font);
    doc.fontSize(18).fillColor('black').text(l.title);
    doc.moveDown(0.3).fontSize(10).fillColor('#666666').text(l.facts);
    doc.moveDown();
    for (const p of l.paragraphs) {
      if (over) break; // past the output bound: stop laying out pages nobody will receive
      doc.fontSize(11).fillColor('#444444').text(`${p.heading} `, { continued: true }).fillColor('black').text(p.text);
      doc.moveDown(0.4);
    }
    doc.end();
  });
}

const tooLarge = (format: DocumentFormat, maxBytes: number) =>
  new DocumentTooLargeError(`The ${format} document would exceed ${size(maxBytes)}; export json, txt, srt or vtt instead.`);

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.ceil(bytes / 1024)} KB`);
