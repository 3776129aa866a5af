/**
 * The document render pool: worker threads (loaded from their .ts source here, under jest) render a
 * 3-hour transcript while this event loop stays responsive, and each bound (time, queue, input size,
 * output size, heap) stops a request with a typed RenderError instead of stalling the process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MAX_TITLE_CHARS } from '../../lib/transcript/documents';
import { RenderPool, type RenderLimits } from '../../lib/transcript/render-pool';
import { render, toCsv } from '../../lib/transcript/formats';
import type { Transcript } from '../../lib/transcript/types';
import { longTranscript, slowTranscript } from '../helpers/long-transcript';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const roomy: RenderLimits = { threads: 2, queue: 4, timeoutMs: 60_000, memoryMb: 512, maxInputBytes: 128 << 20, maxSegments: 50_000, maxChars: 5_000_000, maxBytes: 64 << 20 };
/** The transcript as the workflow stores it: JSON bytes, which the pool parses in its threads. */
const stored = (t: Transcript) => Buffer.from(JSON.stringify(t));
const threeHours = longTranscript(3);
const thirtyHours = longTranscript(30);
const pools: RenderPool[] = [];
const pool = (limits: Partial<RenderLimits> = {}) => {
  const p = new RenderPool({ ...roomy, ...limits }, FONT);
  pools.push(p);
  return p;
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-render-'));
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('is a realistic 3-hour transcript', () => {
  expect(threeHours.segments.length).toBeGreaterThan(2300);
  expect(threeHours.segments.length).toBeLessThan(2800);
  expect(threeHours.segments.at(-1)!.end).toBeGreaterThan(3 * 3600 - 60);
  expect(threeHours.segments.every((s) => s.words.length >= 5)).toBe(true);
});

it('renders a 3-hour transcript as PDF and DOCX with a 200,000-character title off the event loop (no stall near the render time)', async () => {
  const p = pool();
  const title = `Transcript: ${'x'.repeat(200_000)}.wav`;
  const [pdfJson, docxJson] = [stored(threeHours), stored(threeHours)];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = Date.now();
  const [pdf, docx] = await Promise.all([p.render('pdf', pdfJson, { title }), p.render('docx', docxJson, { title })]);
  const took = Date.now() - started;
  delay.disable();
  expect(took).toBeLessThan(30_000);
  // On the loop, the two renders would stall it for about their whole time; a fixed 150 ms also failed
  // from GC and scheduling alone on a loaded 2-core CI.
  expect(delay.max / 1e6).toBeLessThan(Math.max(150, took / 2));

  const first = threeHours.segments[0];
  const last = threeHours.segments.at(-1)!;
  fs.writeFileSync(path.join(dir, 'long.pdf'), pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'long.pdf'), '-']).toString('utf8');
  const joined = text.replace(/\s+/g, ' ');
  // The title wraps over several lines: read it back without whitespace.
  expect(text.slice(0, text.indexOf('Language:')).replace(/\s+/g, '')).toBe(`Transcript:${'x'.repeat(MAX_TITLE_CHARS - 'Transcript: '.length - 1)}…`);
  expect(joined).toContain('Duration: 03:00:00');
  expect(joined).toContain(`[00:00] ${first.speaker} ${first.text.trim()}`);
  expect(joined).toContain(`[${clock(last.start)}] ${last.speaker} ${last.text.trim()}`);
  expect((text.match(/\[\d\d:\d\d(:\d\d)?\] Speaker \d/g) ?? []).length).toBe(threeHours.segments.length);

  fs.writeFileSync(path.join(dir, 'long.docx'), docx);
  const xml = execFileSync('unzip', ['-p', path.join(dir, 'long.docx'), 'word/document.xml'], { maxBuffer: 64 << 20 }).toString('utf8');
  expect(xml).not.toContain('x'.repeat(MAX_TITLE_CHARS));
  expect(xml).toContain(`[${clock(last.start)}] ${last.speaker} `);
  expect(xml).toContain(last.text.trim());
  expect((xml.match(/\[\d\d:\d\d(:\d\d)?\] Speaker \d/g) ?? []).length).toBe(threeHours.segments.length);
}, 60_000);

it('renders the plain-text formats exactly as the formats library does', async () => {
  const p = pool();
  for (const format of ['srt', 'vtt', 'txt', 'csv'] as const) {
    const out = (await p.render(format, stored(threeHours), { title: '' })).toString('utf8');
    expect(out).toBe(format === 'csv' ? toCsv(threeHours) : render(threeHours, format));
  }
  // Text formats are not held to the document bounds (their cost is linear), only to input bytes and time.
  expect((await pool({ maxSegments: 10 }).render('srt', stored(threeHours), { title: '' })).length).toBeGreaterThan(100_000);
}, 60_000);

it('stops a render past its deadline (the thread is terminated) and serves the next request from a fresh thread', async () => {
  // The deadline covers a cold thread's start too, so it is generous enough for that on a loaded machine.
  const p = pool({ threads: 1, timeoutMs: 6000, maxChars: 12_000_000 });
  const tiny = { ...threeHours, segments: threeHours.segments.slice(0, 3) };
  expect((await p.render('pdf', stored(tiny), { title: 'warm' })).subarray(0, 5).toString()).toBe('%PDF-');
  // Within this pool's size bounds (11M characters), but ~14 s of pdfkit work on a quiet machine
  // (4,500 such segments took 5.9 s alone here: too close to the deadline to prove it). Built
  // before the clock starts: only the render's own time counts against the deadline.
  const slow = stored(slowTranscript(11_000));
  const started = Date.now();
  await expect(p.render('pdf', slow, { title: 'T' })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/longer than 6 s and was stopped/) });
  expect(Date.now() - started).toBeLessThan(8000);
  expect((await p.render('docx', stored(tiny), { title: 'after' })).subarray(0, 2).toString()).toBe('PK');
}, 60_000);

it('queues beyond its threads up to the queue bound, then refuses at once (busy)', async () => {
  const p = pool({ threads: 1, queue: 1 });
  const small = { ...threeHours, segments: threeHours.segments.slice(0, 200) };
  const a = p.render('pdf', stored(small), { title: 'A' });
  const b = p.render('pdf', stored(small), { title: 'B' });
  await expect(p.render('pdf', stored(small), { title: 'C' })).rejects.toMatchObject({ kind: 'busy' });
  expect((await a).subarray(0, 5).toString()).toBe('%PDF-');
  expect((await b).subarray(0, 5).toString()).toBe('%PDF-');
}, 30_000);

it('refuses a transcript over the input bounds (bytes before any work, then segments and characters) and a document over the output bound', async () => {
  const p = pool({ maxInputBytes: 1 << 20 });
  expect(() => p.assertInputSize('pdf', 2 << 20)).toThrow(/The transcript is 2.0 MB; pdf exports are limited to 1.0 MB/);
  await expect(p.render('pdf', stored(threeHours), { title: 'T' })).rejects.toMatchObject({ kind: 'too_large', message: expect.stringMatching(/exports are limited to 1.0 MB/) });
  await expect(pool({ maxSegments: 1000 }).render('pdf', stored(threeHours), { title: 'T' })).rejects.toMatchObject({
    kind: 'too_large',
    message: expect.stringMatching(/segments; pdf exports are limited to 1000/),
  });
  await expect(pool({ maxChars: 10_000 }).render('docx', stored(threeHours), { title: 'T' })).rejects.toMatchObject({
    kind: 'too_large',
    message: expect.stringMatching(/characters of text; docx exports are limited to 10000/),
  });
  await expect(pool({ maxBytes: 50_000 }).render('pdf', stored(threeHours), { title: 'T' })).rejects.toMatchObject({
    kind: 'too_large',
    message: expect.stringMatching(/would exceed 49 KB/),
  });
}, 60_000);

it('caps a thread’s heap: a render that needs more fails as too large and leaves this process untouched', async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  await expect(pool({ memoryMb: 32, maxSegments: 1e6, maxChars: 1e9, maxBytes: 1e9 }).render('docx', stored(thirtyHours), { title: 'T' })).rejects.toMatchObject({
    kind: 'too_large',
    message: expect.stringMatching(/more than 32 MB/),
  });
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 << 20);
}, 60_000);

it('answers a corrupt stored transcript with a failure, not a crash, and keeps serving', async () => {
  const p = pool({ threads: 1 });
  await expect(p.render('pdf', Buffer.from('{"segments": [{"start": 0, "te'), { title: 'T' })).rejects.toMatchObject({ kind: 'failed' });
  await expect(p.render('docx', Buffer.from('{"no": "segments"}'), { title: 'T' })).rejects.toMatchObject({ kind: 'failed', message: expect.stringMatching(/no segments/) });
  const small = { ...threeHours, segments: threeHours.segments.slice(0, 5) };
  expect((await p.render('docx', stored(small), { title: 'T' })).subarray(0, 2).toString()).toBe('PK');
}, 30_000);

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const p = (n: number) => String(n).padStart(2, '0');
  return s >= 3600 ? `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}` : `${p(Math.floor(s / 60))}:${p(s % 60)}`;
}
