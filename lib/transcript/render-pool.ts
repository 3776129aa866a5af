/**
 * Renders transcript exports (DOCX and PDF documents, and the txt/srt/vtt/csv texts) in a small
 * pool of worker threads inside the API process, so a long (or hostile) transcript can never stall
 * the API's event loop: pdfkit needs seconds for a 3-hour transcript and its line wrapping is
 * quadratic in the length of a word; even parsing a 3-hour transcript's JSON and writing its
 * subtitles takes a few hundred milliseconds on a busy machine.
 *
 * Why a worker thread and not a Temporal activity: the API already holds the transcript, the work
 * is pure CPU-bound JavaScript, and the caller is waiting on the HTTP request. An activity would
 * push megabytes of transcript and document through Temporal payloads (a 2-4 MB gRPC limit) or
 * storage and make an export depend on a worker being up, for no durability gain (an export is a
 * cheap, repeatable read). A thread gives hard bounds the event loop cannot: `terminate()` stops a
 * runaway render at once, and `resourceLimits` caps its heap without touching the API's.
 *
 * Bounds, all from config (VOXFLOW_EXPORT_*): input size (segments, characters) checked before any
 * work; output bytes checked while rendering; a deadline per request covering queue wait and render;
 * a heap cap per thread; a bounded queue beyond the pool's threads.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentFormat, DocumentMeta } from './documents';

/** What the pool renders: documents (bounded in segments and characters too) and plain-text formats. */
export type ExportFormat = DocumentFormat | 'txt' | 'srt' | 'vtt' | 'csv';
export const isDocument = (f: ExportFormat): f is DocumentFormat => f === 'docx' || f === 'pdf';

export interface RenderLimits {
  /** Worker threads rendering at once. */
  threads: number;
  /** Requests waiting for a thread beyond those; more are refused (busy). */
  queue: number;
  /** Deadline per request, from arrival to the last byte rendered (queue wait included). */
  timeoutMs: number;
  /** Old-generation heap cap per thread. */
  memoryMb: number;
  /** The stored transcript JSON, checked before it is read. */
  maxInputBytes: number;
  maxSegments: number;
  /** Total characters of segment text. */
  maxChars: number;
  /** Output document size. */
  maxBytes: number;
}

/** too_large: over a size or memory bound; timeout: past the deadline while rendering; busy: no thread free in time. */
export type RenderErrorKind = 'too_large' | 'timeout' | 'busy' | 'failed';

export class RenderError extends Error {
  constructor(
    readonly kind: RenderErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a thread receives: the stored transcript JSON as bytes (moved, not copied), so that even
 * parsing a long transcript happens off the event loop, with the bounds the thread checks.
 */
export interface RenderTask {
  id: number;
  format: ExportFormat;
  json: Uint8Array;
  meta: DocumentMeta;
  font?: string;
  limits: Pick<RenderLimits, 'maxSegments' | 'maxChars' | 'maxBytes'>;
}

export type RenderReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; kind: RenderErrorKind; message: string };

interface Job {
  task: RenderTask;
  settled?: boolean;
  resolve(b: Buffer): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  thread?: Thread;
}

interface Thread {
  worker: Worker;
  job?: Job;
  /** Terminated or crashed: never handed work again, even before its 'exit' arrives. */
  dead?: boolean;
}

/** The thread entry: the compiled .js when running from a build, else the .ts source through tsx's require hook. */
function spawnRenderWorker(memoryMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb };
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'render-worker.js'), { resourceLimits });
  // A .ts worker file is not loadable by Node itself, and `--import tsx` in execArgv does not reach
  // worker threads on Node 20; registering tsx's CommonJS hook first works under `node --import tsx`
  // (npm start) and under jest (whose swc transform does not apply inside threads) alike.
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'render-worker.ts'))});`;
  return new Worker(boot, { eval: true, execArgv: [], resourceLimits });
}

export class RenderPool {
  private readonly threads = new Set<Thread>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly limits: RenderLimits,
    private readonly font?: string,
  ) {}

  /** Refuses a stored transcript too large to read for an export, before anyone reads it. */
  assertInputSize(format: ExportFormat, bytes: number): void {
    if (bytes > this.limits.maxInputBytes) {
      const instead = isDocument(format) ? 'json, txt, srt or vtt' : 'json';
      throw new RenderError('too_large', `The transcript is ${mb(bytes)}; ${format} exports are limited to ${mb(this.limits.maxInputBytes)}. Export ${instead} instead.`);
    }
  }

  /**
   * The export's bytes, or a RenderError saying which bound stopped it. `json` is the transcript
   * as stored; its memory moves to the render thread (the caller's view of it is emptied).
   */
  render(format: ExportFormat, json: Uint8Array, meta: DocumentMeta): Promise<Buffer> {
    const { limits } = this;
    try {
      this.assertInputSize(format, json.byteLength);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.idleThread() && this.live() >= limits.threads && this.queue.length >= limits.queue) {
      return Promise.reject(new RenderError('busy', `Too many exports in progress; try again shortly.`));
    }
    // Only a buffer of its own can move between threads (small Buffers share a pool slab).
    const own = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength && json.buffer instanceof ArrayBuffer ? json : new Uint8Array(json);
    const task: RenderTask = {
      id: this.nextId++,
      format,
      json: own,
      meta,
      font: this.font,
      limits: { maxSegments: limits.maxSegments, maxChars: limits.maxChars, maxBytes: limits.maxBytes },
    };
    return new Promise<Buffer>((resolve, reject) => {
      const job: Job = { task, resolve, reject, timer: setTimeout(() => this.expire(job), limits.timeoutMs) };
      this.queue.push(job);
      this.pump();
    });
  }

  /** Stops every thread (rendering or idle); pending requests fail. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) this.settle(job, new RenderError('busy', 'The export service is shutting down.'));
    await Promise.all([...this.threads].map((t) => t.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      let thread = this.idleThread();
      if (!thread && this.live() < this.limits.threads) thread = this.spawn();
      if (!thread) return;
      const job = this.queue.shift()!;
      thread.job = job;
      job.thread = thread;
      thread.worker.ref();
      thread.worker.postMessage(job.task, [job.task.json.buffer as ArrayBuffer]);
    }
  }

  private idleThread(): Thread | undefined {
    for (const t of this.threads) if (!t.job && !t.dead) return t;
    return undefined;
  }

  private live(): number {
    let n = 0;
    for (const t of this.threads) if (!t.dead) n++;
    return n;
  }

  private spawn(): Thread {
    const thread: Thread = { worker: spawnRenderWorker(this.limits.memoryMb) };
    const { worker } = thread;
    worker.on('message', (reply: RenderReply) => {
      const job = thread.job;
      if (!job || job.task.id !== reply.id) return;
      thread.job = undefined;
      // An idle thread must not keep the process alive (server shutdown, test runs).
      worker.unref();
      this.settle(job, reply.ok ? Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength) : new RenderError(reply.kind, reply.message));
      this.pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      thread.dead = true;
      const job = thread.job;
      thread.job = undefined;
      if (job) {
        const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        this.settle(job, new RenderError(oom ? 'too_large' : 'failed', oom ? `Rendering the ${job.task.format} needed more than ${this.limits.memoryMb} MB; export json, txt, srt or vtt instead.` : err.message));
      }
    });
    worker.on('exit', () => {
      thread.dead = true;
      this.threads.delete(thread);
      const job = thread.job;
      thread.job = undefined;
      if (job) this.settle(job, new RenderError('failed', 'The render thread exited.'));
      this.pump(); // a replacement thread for whatever is queued
    });
    this.threads.add(thread);
    return thread;
  }

  /** The deadline: a queued request is refused (busy); a running render is stopped by ending its thread. */
  private expire(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return this.settle(job, new RenderError('busy', `No export thread became free within ${this.limits.timeoutMs / 1000} s; try again shortly.`));
    }
    const thread = job.thread;
    if (thread?.job === job) {
      thread.job = undefined;
      thread.dead = true;
      void thread.worker.terminate();
    }
    this.settle(job, new RenderError('timeout', `Rendering the ${job.task.format} took longer than ${this.limits.timeoutMs / 1000} s and was stopped; export json, txt, srt or vtt instead.`));
  }

  private settle(job: Job, outcome: Buffer | Error): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
