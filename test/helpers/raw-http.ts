/**
 * HTTP at the socket level, for bodies no well-behaved client sends: malformed or truncated
 * multipart, bodies that stall half way, thousands of fields. Reads the answer as it arrives, so a
 * server that answers early (before the body is complete) is seen doing so.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the complete answer. */
  ms: number;
  /** Resolves when the server closed the connection (or rejects after `ms`). */
  closed(ms: number): Promise<void>;
  socket: net.Socket;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent in this order; `null` means stop sending here and keep the connection open (a stalled body). */
  body?: Array<Buffer | string | null>;
  /** Content-Length to declare (default: the bytes of `body`). */
  contentLength?: number;
  timeoutMs?: number;
}

export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const pieces: Buffer[] = [];
  for (const p of req.body ?? []) {
    if (p === null) break;
    pieces.push(Buffer.isBuffer(p) ? p : Buffer.from(p));
  }
  const length = req.contentLength ?? pieces.reduce((a, b) => a + b.length, 0);
  const headers = { Host: `${hostname}:${port}`, 'Content-Length': String(length), ...req.headers };
  const head = `${req.method ?? 'POST'} ${req.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;

  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let data = Buffer.alloc(0);
    let done = false;
    let isClosed = false;
    const closeWaiters: Array<() => void> = [];
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(new Error(`no complete answer within ${req.timeoutMs ?? 10_000} ms (got ${JSON.stringify(data.toString('latin1').slice(0, 200))})`));
    }, req.timeoutMs ?? 10_000);

    const tryParse = () => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0 || done) return;
      const lines = data.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const hdrs: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        hdrs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(hdrs['content-length'] ?? NaN);
      const body = data.subarray(end + 4);
      if (Number.isFinite(len) ? body.length < len : !isClosed) return;
      done = true;
      clearTimeout(timer);
      resolve({
        status,
        headers: hdrs,
        body: body.subarray(0, Number.isFinite(len) ? len : undefined).toString('utf8'),
        ms: Date.now() - started,
        socket,
        closed: (ms) =>
          isClosed
            ? Promise.resolve()
            : new Promise<void>((res, rej) => {
                const t = setTimeout(() => rej(new Error(`connection still open after ${ms} ms`)), ms);
                closeWaiters.push(() => {
                  clearTimeout(t);
                  res();
                });
              }),
      });
    };

    socket.on('data', (c) => {
      data = Buffer.concat([data, c]);
      tryParse();
    });
    socket.on('close', () => {
      isClosed = true;
      tryParse();
      for (const w of closeWaiters.splice(0)) w();
      if (!done) {
        done = true;
        clearTimeout(timer);
        reject(new Error(`connection closed without a complete answer (got ${JSON.stringify(data.toString('latin1').slice(0, 200))})`));
      }
    });
    socket.on('error', () => undefined); // a reset after the answer is fine; 'close' follows
    socket.on('connect', () => {
      socket.write(head);
      for (const p of pieces) socket.write(p);
    });
  });
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
  /** Extra raw header lines. */
  headers?: string[];
}

/** A multipart/form-data body; `close: false` leaves out the closing boundary (a truncated form). */
export function multipartBody(boundary: string, parts: FormPart[], opts: { close?: boolean } = {}): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    let disp = `Content-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) disp += `; filename="${p.filename}"`;
    const lines = [disp, ...(p.contentType ? [`Content-Type: ${p.contentType}`] : []), ...(p.headers ?? [])];
    out.push(Buffer.from(`--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  if (opts.close !== false) out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}
