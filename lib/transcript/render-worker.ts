/**
 * Worker-thread entry of the document render pool (render-pool.ts): renders one document per
 * message, off the API's event loop, and hands the bytes back without copying them.
 */
import { parentPort } from 'node:worker_threads';
import { DocumentTooLargeError, toDocx, toPdf } from './documents';
import type { RenderReply, RenderTask } from './render-pool';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs only as a worker thread (see render-pool.ts)');

port.on('message', async (task: RenderTask) => {
  try {
    const opts = { font: task.font, maxBytes: task.maxBytes };
    const buf = task.format === 'docx' ? await toDocx(task.transcript, task.meta, opts) : await toPdf(task.transcript, task.meta, opts);
    // Transfer, not copy; a Buffer may sit inside a shared pool slab, which must not be transferred.
    const bytes = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? new Uint8Array(buf.buffer) : new Uint8Array(buf);
    port.postMessage({ id: task.id, ok: true, bytes } satisfies RenderReply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const tooLarge = err instanceof DocumentTooLargeError;
    port.postMessage({ id: task.id, ok: false, kind: tooLarge ? 'too_large' : 'failed', message: (err as Error)?.message ?? String(err) } satisfies RenderReply);
  }
});
