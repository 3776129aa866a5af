/**
 * Worker-thread entry of the export render pool (render-pool.ts): parses the stored transcript,
 * checks a document's size against the bounds, renders one export per message, off the API's
 * event loop, and hands the bytes back without copying them.
 */
import { parentPort } from 'node:worker_threads';
import { DocumentTooLargeError, toDocx, toPdf } from './documents';
import { render, toCsv } from './formats';
import { isDocument, type RenderReply, type RenderTask } from './render-pool';
import type { Transcript } from './types';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs only as a worker thread (see render-pool.ts)');

class OverBound extends Error {}

/** The transcript, or OverBound when it has more segments or text than a document may carry. */
function parse(task: RenderTask): Transcript {
  const t = JSON.parse(new TextDecoder().decode(task.json)) as Transcript;
  if (!t || !Array.isArray(t.segments)) throw new Error('the stored transcript has no segments');
  // Plain-text formats cost time linear in the transcript: the input-bytes bound and the deadline suffice.
  if (!isDocument(task.format)) return t;
  const { maxSegments, maxChars } = task.limits;
  if (t.segments.length > maxSegments) {
    throw new OverBound(`The transcript has ${t.segments.length} segments; ${task.format} exports are limited to ${maxSegments}. Export json, txt, srt or vtt instead.`);
  }
  let chars = 0;
  for (const s of t.segments) chars += String(s?.text ?? '').length;
  if (chars > maxChars) {
    throw new OverBound(`The transcript has ${chars} characters of text; ${task.format} exports are limited to ${maxChars}. Export json, txt, srt or vtt instead.`);
  }
  return t;
}

port.on('message', async (task: RenderTask) => {
  try {
    const transcript = parse(task);
    const opts = { font: task.font, maxBytes: task.limits.maxBytes };
    const { format } = task;
    const buf =
      format === 'docx' ? await toDocx(transcript, task.meta, opts)
      : format === 'pdf' ? await toPdf(transcript, task.meta, opts)
      : Buffer.from(format === 'csv' ? toCsv(transcript) : render(transcript, format));
    if (buf.length > opts.maxBytes) throw new DocumentTooLargeError(`The ${format} export would exceed ${Math.round(opts.maxBytes / 1024 / 1024)} MB.`);
    // Transfer, not copy; a Buffer may sit inside a shared pool slab, which must not be transferred.
    const bytes = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? new Uint8Array(buf.buffer) : new Uint8Array(buf);
    port.postMessage({ id: task.id, ok: true, bytes } satisfies RenderReply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const tooLarge = err instanceof DocumentTooLargeError || err instanceof OverBound;
    port.postMessage({ id: task.id, ok: false, kind: tooLarge ? 'too_large' : 'failed', message: (err as Error)?.message ?? String(err) } satisfies RenderReply);
  }
});
