/**
 * One loaded LLM, owned by a worker thread (thread.ts), seen from the worker process: requests are
 * queued by a semaphore sized to what the hardware sustains (one at a time on CPU: two generations
 * on two cores would each run at half speed and both finish later), each bounded in output tokens,
 * cancellable, and reporting progress every few tokens.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';
import type { ThreadReply, ThreadRequest } from './protocol';
import { Semaphore } from './semaphore';
import type { GenerateHooks, GenerateRequest, GenerateResult, LlmModel, LlmSettings } from './types';

/** Progress messages from the thread every this many generated tokens. */
export const PROGRESS_EVERY_TOKENS = 8;

interface Pending {
  resolve(reply: ThreadReply): void;
  reject(err: Error): void;
  onProgress?: (tokens: number) => void;
}

export class LlmThreadModel implements LlmModel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly gate: Semaphore;
  private dead?: Error;

  private constructor(
    readonly id: string,
    private readonly worker: Worker,
    private readonly settings: LlmSettings,
    readonly contextSize = 0,
  ) {
    this.gate = new Semaphore(settings.concurrency);
    worker.on('message', (m: ThreadReply) => this.onReply(m));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`LLM thread exited (code ${code})`)));
  }

  /** Starts the thread and loads the model; logs where it runs, how long it took and the RSS after. */
  static async load(id: string, modelPath: string, settings: LlmSettings, log: Logger): Promise<LlmThreadModel> {
    const started = Date.now();
    const worker = spawnThread({ modelPath, settings, progressEvery: PROGRESS_EVERY_TOKENS });
    const m = new LlmThreadModel(id, worker, settings);
    try {
      const r = await m.call({ op: 'load', id: 0 });
      if (r.op !== 'loaded') throw new Error(`unexpected reply ${r.op}`);
      (m as { contextSize: number }).contextSize = r.contextSize;
      log.info(
        { model: id, device: r.gpu, contextSize: r.contextSize, concurrency: settings.concurrency, ms: Date.now() - started, rssMb: Math.round(process.memoryUsage().rss / 1048576) },
        'LLM loaded',
      );
      return m;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
  }

  get alive(): boolean {
    return !this.dead;
  }

  async countTokens(text: string): Promise<number> {
    const r = await this.call({ op: 'count', id: 0, text });
    return r.op === 'count' ? r.tokens : 0;
  }

  generate(request: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
    return this.gate.run(async () => {
      hooks.signal?.throwIfAborted();
      const id = this.nextId++;
      const onAbort = () => this.worker.postMessage({ op: 'abort', id } satisfies ThreadRequest);
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await this.call({ op: 'generate', id, request: { ...request, maxTokens: Math.min(request.maxTokens, this.settings.maxOutputTokens) } }, hooks.onProgress);
        if (r.op !== 'done') throw new Error(`unexpected reply ${r.op}`);
        if (r.result.stopReason === 'abort') throw hooks.signal?.reason ?? new Error('generation aborted');
        return r.result;
      } finally {
        hooks.signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  async release(): Promise<void> {
    if (this.dead) return;
    await this.call({ op: 'dispose', id: 0 }).catch(() => undefined);
    this.dead = new Error('LLM released');
    await this.worker.terminate();
  }

  private call(req: ThreadRequest, onProgress?: (tokens: number) => void): Promise<ThreadReply> {
    if (this.dead) return Promise.reject(this.dead);
    const id = req.id || this.nextId++;
    return new Promise<ThreadReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...req, id });
    });
  }

  private onReply(m: ThreadReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.op === 'progress') return p.onProgress?.(m.tokens);
    this.pending.delete(m.id);
    if (m.op === 'error') p.reject(new Error(m.message));
    else p.resolve(m);
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** The thread entry: the compiled .js when running from a build, else the .ts source through tsx's require hook. */
function spawnThread(workerData: unknown): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'thread.js'), { workerData });
  // As in lib/transcript/render-pool.ts: `--import tsx` does not reach worker threads on Node 20,
  // and jest's transform does not apply inside them; tsx's CommonJS hook works under both.
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'thread.ts'))});`;
  return new Worker(boot, { eval: true, execArgv: [], workerData });
}
