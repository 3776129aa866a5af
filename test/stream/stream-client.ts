/** A WS /v1/stream client for the tests and the bench: sends PCM at a chosen speed, records every message with its time. */
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { wavHeader } from '../../lib/audio/wav-header';

export interface Received {
  at: number; // ms since the client connected
  msg: Record<string, unknown>;
}

export interface StreamRun {
  messages: Received[];
  closeCode: number;
  closeReason: string;
  /** ms since connect at which each audio chunk was sent, with its end in audio seconds. */
  sent: Array<{ at: number; audioEnd: number }>;
}

export class StreamClient {
  readonly messages: Received[] = [];
  readonly sent: Array<{ at: number; audioEnd: number }> = [];
  readonly t0 = Date.now();
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<{ pred: (m: Record<string, unknown>) => boolean; resolve(m: Record<string, unknown>): void }> = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      this.messages.push({ at: Date.now() - this.t0, msg });
      this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const seen = this.messages.find((r) => pred(r.msg));
    if (seen) return Promise.resolve(seen.msg);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.msg)).slice(0, 2000)}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }

  json(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  /** Sends 16-bit PCM in `chunkSamples` frames paced at `speed` × real time (Infinity: as fast as possible). */
  async stream(pcm: Buffer, opts: { speed: number; chunkSamples?: number }): Promise<void> {
    const chunk = (opts.chunkSamples ?? 4096) * 2;
    const start = Date.now();
    for (let off = 0; off < pcm.length; off += chunk) {
      const end = Math.min(pcm.length, off + chunk);
      if (Number.isFinite(opts.speed)) {
        const due = start + ((end / 2 / 16000) * 1000) / opts.speed;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(pcm.subarray(off, end));
      this.sent.push({ at: Date.now() - this.t0, audioEnd: end / 2 / 16000 });
    }
  }

  texts(): string {
    return this.messages.filter((m) => typeof m.msg.text === 'string').map((m) => m.msg.text as string).join(' ');
  }
}

/** Any audio file as 16 kHz mono Int16 LE PCM (ffmpeg), optionally followed by silence. */
export function pcmOf(files: string[], gapSeconds = 0): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', f, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'], { maxBuffer: 1 << 28 }));
    if (gapSeconds) parts.push(Buffer.alloc(Math.round(gapSeconds * 16000) * 2));
  }
  return Buffer.concat(parts);
}

/** The same PCM as a WAV file (for POST /v1/transcribe and the fake microphone). */
export function wavOf(pcm: Buffer): Buffer {
  return Buffer.concat([wavHeader(16000, pcm.length / 2), pcm]);
}
