/**
 * Real-time transcription over WS /v1/stream (the contract's protocol): JSON config → {"status":
 * "ready"} → binary PCM (Int16 LE, 16 kHz, mono) → {"partial"} / {"text"} → {"action": "stop"} →
 * {"is_final": true}. Uses the `ws` package (Node's global WebSocket cannot send an Authorization header).
 */
import WebSocket from 'ws';
import { APIConnectionError, APIError, errorFromResponse } from './errors.js';

export interface StreamOptions {
  language?: string;
  model?: string;
  onPartial?: (partial: string) => void;
  onText?: (text: string) => void;
  /** Connecting and waiting for ready (default 30 s). */
  openTimeoutMs?: number;
}

export interface StreamMessage { status?: string; partial?: string; text?: string; is_final?: boolean; error?: string; [k: string]: unknown }

export interface StreamResult {
  /** Finalised segments, in order. */
  texts: string[];
  partials: string[];
  messages: StreamMessage[];
  /** The finalised segments joined. */
  text: string;
}

/** The server sent {"error": ...} on the stream, or closed it before is_final. */
export class StreamError extends APIError {
  override name = 'StreamError';
}

export function wsUrl(baseUrl: string): string {
  const u = new URL(baseUrl.replace(/\/+$/, '') + '/v1/stream');
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

export class StreamSession {
  private readonly result: StreamResult = { texts: [], partials: [], messages: [], text: '' };
  private finalResolve?: (r: StreamResult) => void;
  private finalReject?: (e: Error) => void;
  private failure?: Error;
  private done = false;

  private constructor(private readonly ws: WebSocket, private readonly opts: StreamOptions) {}

  static connect(baseUrl: string, apiKey: string | undefined, opts: StreamOptions = {}): Promise<StreamSession> {
    const url = wsUrl(baseUrl);
    const ws = new WebSocket(url, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {}, handshakeTimeout: opts.openTimeoutMs ?? 30_000 });
    const session = new StreamSession(ws, opts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new StreamError('The stream was not ready in time.', 504));
        ws.terminate();
      }, opts.openTimeoutMs ?? 30_000);
      let ready = false;
      ws.on('unexpected-response', (_req, res) => {
        // An HTTP answer instead of the upgrade (401, 429, 503...): the same error classes as REST.
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => {
          clearTimeout(timer);
          let body: unknown;
          try { body = JSON.parse(text); } catch { body = undefined; }
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
          reject(errorFromResponse(res.statusCode ?? 500, body, headers, text));
        });
      });
      ws.on('error', (err) => {
        clearTimeout(timer);
        if (!ready) reject(new APIConnectionError(`Could not open ${url}: ${err.message}`, err));
        else session.fail(err);
      });
      ws.on('open', () => ws.send(JSON.stringify({ language: opts.language ?? 'auto', ...(opts.model ? { model: opts.model } : {}) })));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: StreamMessage;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        session.result.messages.push(msg);
        if (typeof msg.error === 'string') {
          const err = new StreamError(msg.error, Number(msg.status) || 400, msg as { error: string });
          if (!ready) {
            clearTimeout(timer);
            reject(err);
          }
          return session.fail(err);
        }
        if (msg.status === 'ready' && !ready) {
          ready = true;
          clearTimeout(timer);
          resolve(session);
        }
        if (msg.partial) {
          session.result.partials.push(msg.partial);
          opts.onPartial?.(msg.partial);
        }
        if (msg.text) {
          session.result.texts.push(msg.text);
          session.opts.onText?.(msg.text);
        }
        if (msg.is_final === true) session.finish_();
      });
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        if (!ready) reject(new StreamError(`The stream closed before it was ready (${code} ${reason}).`, 502));
        if (!session.done) session.fail(new StreamError(`The stream closed before it was final (${code} ${reason}).`, 502));
      });
    });
  }

  /** One binary frame of PCM (Int16 little-endian, 16 kHz, mono). */
  sendAudio(pcm: Uint8Array | ArrayBuffer | Int16Array): void {
    if (this.failure) throw this.failure;
    const view = pcm instanceof ArrayBuffer ? new Uint8Array(pcm) : new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.ws.send(view);
  }

  /** Sends {"action": "stop"} and resolves with everything the stream said once it is final. */
  finish(timeoutMs = 120_000): Promise<StreamResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.done) return Promise.resolve(this.result);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new StreamError(`No final message within ${timeoutMs} ms.`, 504)), timeoutMs);
      this.finalResolve = (r) => { clearTimeout(timer); resolve(r); };
      this.finalReject = (e) => { clearTimeout(timer); reject(e); };
      this.ws.send(JSON.stringify({ action: 'stop' }));
    });
  }

  close(): void {
    this.ws.close();
  }

  private finish_(): void {
    this.done = true;
    this.result.text = this.result.texts.map((t) => t.trim()).filter(Boolean).join(' ');
    this.finalResolve?.(this.result);
  }

  private fail(err: Error): void {
    if (this.done) return;
    this.failure = err;
    this.finalReject?.(err);
  }
}

/** Sends all of `pcm` in 4096-sample frames (as browsers do) and resolves with the final result. */
export async function streamPcm(session: StreamSession, pcm: Uint8Array, frameBytes = 8192): Promise<StreamResult> {
  for (let i = 0; i < pcm.length; i += frameBytes) session.sendAudio(pcm.subarray(i, i + frameBytes));
  return session.finish();
}
