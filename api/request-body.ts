/**
 * Reading a request body chunk by chunk under the API's rules: one chunk at a time (the next is not
 * read until the consumer's promise settles, so a slow storage write pushes back on the client), a
 * stalled body fails with 408 after `idleMs` without a byte, and a rejected body never keeps its
 * connection (or anything else) alive: see `closeAfterRejection`.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { HttpError } from './errors';

export interface ConsumeOptions {
  /** No byte for this long (while we are waiting for the client, not for storage): 408. */
  idleMs: number;
  /** More body bytes than this: 413 at once (`tooLarge` builds the answer). */
  maxBytes?: number;
  tooLarge?: () => HttpError;
}

export const stalled = (idleMs: number) =>
  new HttpError(408, `The request body stalled: no data arrived for ${Math.round(idleMs / 100) / 10} s.`, { code: 'body_stalled' });

/** The client went away mid-body; nobody reads the answer, but everything is still released. */
export const interrupted = () => new HttpError(400, 'The request body was interrupted before it was complete.', { code: 'incomplete_body' });

/**
 * Feeds the body to `onChunk`, awaiting each call; resolves once the body ended and every chunk was
 * handled. Rejects on the first error (the consumer's, a limit, a stall, a lost client) and then
 * stops reading, so the caller can answer at once.
 */
export function consumeBody(req: IncomingMessage, opts: ConsumeOptions, onChunk: (chunk: Buffer) => unknown): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let received = 0;
    let queue: Promise<unknown> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;

    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(stalled(opts.idleMs)), opts.idleMs);
    };
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (opts.maxBytes !== undefined && received > opts.maxBytes) return fail(opts.tooLarge?.() ?? new HttpError(413, 'The request body is too large.'));
      // While the consumer works (e.g. storage is slow) the client is not the one stalling.
      clearTimeout(timer);
      req.pause();
      queue = queue.then(() => onChunk(chunk)).then(() => {
        if (settled) return;
        arm();
        req.resume();
      }, fail);
    };
    const onEnd = () => {
      queue = queue.then(() => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve();
      }, fail);
    };
    const onError = () => fail(interrupted());
    const onClose = () => {
      if (!req.complete) fail(interrupted());
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    arm();
    req.resume();
  });
}

/** How long (and how much) a rejected body is still read and discarded before its connection is cut. */
const LINGER_MS = 2000;
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * After an early rejection (413, 400, 408) the rest of the body is unread. Reading and discarding a
 * little of it lets clients that are still sending see the answer (closing a socket with unread
 * data resets it, and the client may lose the response); past a bound, or once the answer is out for
 * a stalled body, the connection is closed so it holds nothing.
 */
export function closeAfterRejection(ctx: Context, opts: { immediately?: boolean } = {}): void {
  const req = ctx.req;
  if (req.complete || ctx.state.closingAfterRejection) return;
  ctx.state.closingAfterRejection = true;
  if (opts.immediately) {
    ctx.set('Connection', 'close'); // Node ends the socket once the answer is flushed
    return;
  }
  let drained = 0;
  const socket = req.socket;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  req.resume();
}
