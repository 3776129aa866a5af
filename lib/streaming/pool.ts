/**
 * The API process's streaming engines: a few worker threads (VOXFLOW_STREAM_THREADS), each with its
 * own Whisper + Silero sessions, and the live streams spread over them (fewest streams first).
 *
 * Why threads of the API process (and not the Temporal gpu workers or a separate process): a live
 * stream is a socket the API holds, with audio every ~100 ms and answers wanted within a second;
 * each Temporal activity round trip costs more than that and a workflow history per audio frame is
 * no durability anyone needs (a dropped socket cannot resume anyway). Threads keep onnxruntime's
 * blocking `session.run` off the API's event loop (REST stays responsive; measured in the tests),
 * move audio without copies (transferred ArrayBuffers), and cost no extra process to supervise.
 * The price: the API process holds one Whisper per thread (about 0.5 GB for base) once a stream ran.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';
import type { FromThread, StreamOutcome, ThreadData, ToThread } from './protocol';
import type { ClientMessage, RecognizerOptions } from './recognizer';

export interface StreamHandlers {
  message(m: ClientMessage): void;
  progress(p: { processed: number; pendingFinal: number; lastSpeech: number }): void;
  failed(message: string): void;
}

export interface EngineStream {
  /** Resolves once the thread has the model loaded and the stream set up. */
  ready: Promise<void>;
  audio(pcm: Float32Array): void;
  /** Finalises the open utterance and resolves with everything decoded. */
  finish(): Promise<StreamOutcome>;
  abort(): void;
}

interface Thread {
  worker: Worker;
  streams: Map<string, Pending>;
}

interface Pending {
  handlers: StreamHandlers;
  opened(): void;
  openFailed(e: Error): void;
  finished?: { resolve(o: StreamOutcome): void; reject(e: Error): void };
}

export class StreamEnginePool {
  private readonly threads: Array<Thread | undefined>;
  private readonly data: ThreadData;
  private closed = false;

  constructor(
    data: Omit<ThreadData, 'engineThreads'>,
    size: number,
    private readonly log: Logger,
  ) {
    this.threads = new Array(Math.max(1, size)).fill(undefined);
    this.data = { ...data, engineThreads: this.threads.length };
  }

  get activeStreams(): number {
    return this.threads.reduce((n, t) => n + (t?.streams.size ?? 0), 0);
  }

  open(id: string, model: string, options: RecognizerOptions, handlers: StreamHandlers): EngineStream {
    if (this.closed) throw new Error('streaming engines are shut down');
    const thread = this.pick();
    let opened!: () => void, openFailed!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => ((opened = res), (openFailed = rej)));
    ready.catch(() => undefined);
    const pending: Pending = { handlers, opened, openFailed };
    thread.streams.set(id, pending);
    const send = (m: ToThread, transfer?: ArrayBuffer[]) => thread.worker.postMessage(m, transfer);
    send({ op: 'open', id, model, options });
    return {
      ready,
      audio: (pcm) => send({ op: 'audio', id, pcm }, [pcm.buffer as ArrayBuffer]),
      finish: () =>
        new Promise<StreamOutcome>((resolve, reject) => {
          if (!thread.streams.has(id)) return reject(new Error('stream already ended'));
          pending.finished = { resolve, reject };
          send({ op: 'finish', id });
        }),
      abort: () => {
        if (thread.streams.delete(id)) send({ op: 'abort', id });
      },
    };
  }

  /** Asks each thread to stop between decodes (see thread.ts shutdown); terminates one that does not within a minute. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.threads.map(async (t) => {
        if (!t) return;
        const exited = new Promise<void>((r) => t.worker.once('exit', () => r()));
        t.worker.postMessage({ op: 'shutdown' } satisfies ToThread);
        const cut = setTimeout(() => void t.worker.terminate(), 60_000);
        await exited;
        clearTimeout(cut);
      }),
    );
  }

  /** The thread with the fewest streams; a missing (never started or crashed) one is started. */
  private pick(): Thread {
    let best = 0;
    for (let i = 0; i < this.threads.length; i++) {
      if (!this.threads[i]) return (this.threads[i] = this.spawn(i));
      if (this.threads[i]!.streams.size < this.threads[best]!.streams.size) best = i;
    }
    return this.threads[best]!;
  }

  private spawn(slot: number): Thread {
    const worker = spawnEngineThread(this.data);
    const thread: Thread = { worker, streams: new Map() };
    worker.on('message', (m: FromThread) => {
      const p = thread.streams.get(m.id);
      if (!p) return;
      switch (m.op) {
        case 'opened':
          return p.opened();
        case 'message':
          return p.handlers.message(m.message);
        case 'progress':
          return p.handlers.progress(m);
        case 'finished':
          thread.streams.delete(m.id);
          return p.finished?.resolve(m.outcome);
        case 'failed':
          thread.streams.delete(m.id);
          p.openFailed(new Error(m.message));
          p.finished?.reject(new Error(m.message));
          return p.handlers.failed(m.message);
      }
    });
    const lost = (err: Error) => {
      if (this.threads[slot] === thread) this.threads[slot] = undefined;
      for (const p of thread.streams.values()) {
        p.openFailed(err);
        p.finished?.reject(err);
        if (!this.closed) p.handlers.failed(err.message); // at shutdown the sessions are closed by attach.ts
      }
      thread.streams.clear();
    };
    worker.on('error', (err) => {
      this.log.error({ err }, 'streaming engine thread failed');
      lost(err);
    });
    worker.on('exit', (code) => lost(new Error(`streaming engine thread exited (${code})`)));
    return thread;
  }
}

/** The thread entry: compiled .js from a build, else the .ts source through tsx's CommonJS hook (as lib/llm/model.ts). */
function spawnEngineThread(workerData: ThreadData): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'thread.js'), { workerData });
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'thread.ts'))});`;
  return new Worker(boot, { eval: true, execArgv: [], workerData });
}
