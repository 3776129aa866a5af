/**
 * DeepFilterNet3 blocks run in parallel, each from a fresh runtime state, without paying for the
 * state: lanes of lib/denoise/deepfilter-fork-server.py, a Python process (standard library only)
 * that holds one never-used libDF state and fork()s a copy of itself per block.
 *
 * Why not in this process: libDF's frame call is synchronous and single-threaded, so blocks in one
 * Node thread only interleave; and its C API has no reset or clone, while df_create costs ~0.5 s of
 * CPU (it reads and optimises the model's graphs) - more than a 2 s clip's frames. A fork()ed copy
 * of a never-used state is that state bit for bit (tested: the same samples as a fresh in-process
 * state), made in milliseconds, and each lane's block runs on its own core.
 *
 * A block is one message: its 48 kHz frames in, the same number of frames out. A cancelled block
 * kills its child and its lane (the pipes are mid-message); a new lane is started in its place.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';

const SERVER = path.join(__dirname, 'deepfilter-fork-server.py');
export const FRAME = 480;

export interface LaneOptions {
  python: string;
  library: string;
  model: string;
}

/** Reads exact byte counts from a stream that delivers arbitrary chunks. */
class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private want?: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void };
  private failed?: Error;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.have += b.length;
    this.serve();
  }

  fail(err: Error): void {
    this.failed ??= err;
    const w = this.want;
    this.want = undefined;
    w?.reject(err);
  }

  read(n: number): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.want = { n, resolve, reject };
      this.serve();
    });
  }

  private serve(): void {
    const w = this.want;
    if (!w || this.have < w.n) return;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = all.length > w.n ? [all.subarray(w.n)] : [];
    this.have -= w.n;
    this.want = undefined;
    w.resolve(all.subarray(0, w.n));
  }
}

class Lane {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly reader = new ByteReader();
  private stderr = '';
  readonly ready: Promise<void>;
  dead = false;
  /** The forked child running this lane's current block (for tests: it must be gone after a cancel). */
  childPid?: number;

  constructor(opts: LaneOptions) {
    this.proc = spawn(opts.python, [SERVER, opts.library, opts.model], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (b: Buffer) => this.reader.push(b));
    this.proc.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-2000)));
    // A write after the lane died (a kill mid-block) must not crash the process.
    this.proc.stdin.on('error', () => undefined);
    const died = (why: string) => {
      this.dead = true;
      this.reader.fail(new Error(`DeepFilterNet3 lane (${opts.python} ${path.basename(SERVER)}) ${why}${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
    };
    this.proc.on('error', (err) => died(`could not start: ${err.message}`));
    this.proc.on('exit', (code, sig) => died(`exited (${sig ?? code})`));
    // Held until the state exists (a script awaiting load must not exit under it), then idle.
    this.ready = this.reader.read(5).then((b) => {
      if (b[0] !== 0x52 || b.readUInt32LE(1) !== FRAME) throw new Error(`DeepFilterNet3 lane reported frames of ${b.readUInt32LE(1)} samples, expected ${FRAME}`);
      this.hold(false);
    });
    this.ready.catch(() => undefined);
  }

  /** One block: `in48.length` must be a whole number of frames. */
  async run(in48: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    await this.ready;
    signal?.throwIfAborted();
    const frames = in48.length / FRAME;
    const head = Buffer.alloc(4);
    head.writeUInt32LE(frames);
    this.proc.stdin.write(head);
    this.proc.stdin.write(Buffer.from(in48.buffer, in48.byteOffset, in48.byteLength));
    const onAbort = () => this.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.hold(true);
    try {
      this.childPid = (await this.reader.read(4)).readUInt32LE(0);
      const out = await this.reader.read(frames * FRAME * 4);
      signal?.throwIfAborted();
      // Copied: the reader's buffer may be a view into a larger chunk.
      const y = new Float32Array(frames * FRAME);
      new Uint8Array(y.buffer).set(out);
      return y;
    } catch (err) {
      signal?.throwIfAborted();
      throw err;
    } finally {
      this.hold(false);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * An idle lane does not keep this process alive (a script that never released its model still
   * exits; the lane then sees its stdin end and exits too); a block in flight does.
   */
  private hold(on: boolean): void {
    for (const h of [this.proc, this.proc.stdout, this.proc.stderr, this.proc.stdin] as Array<{ ref(): void; unref(): void }>) {
      if (on) h.ref();
      else h.unref();
    }
  }

  kill(): void {
    if (this.childPid) {
      try {
        process.kill(this.childPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.dead = true;
    this.proc.kill('SIGKILL');
  }
}

/** `count` lanes; a block waits for a free one. */
export class LanePool {
  private readonly free: Lane[] = [];
  private readonly waiting: Array<(l: Lane) => void> = [];
  private closed = false;
  /** The lanes started and not yet found dead. */
  started: Lane[] = [];
  /** The forked child of the last lane killed by a cancel (tests check it is gone). */
  lastKilledChild?: number;

  private constructor(
    private readonly opts: LaneOptions,
    readonly count: number,
  ) {}

  /** Starts `count` lanes and waits until each holds its state; rejects if Python or the runtime cannot start. */
  static async start(opts: LaneOptions, count: number): Promise<LanePool> {
    const pool = new LanePool(opts, count);
    for (let i = 0; i < count; i++) pool.free.push(pool.spawn());
    try {
      await Promise.all(pool.free.map((l) => l.ready));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  async run(in48: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    const lane = this.free.pop() ?? (await new Promise<Lane>((resolve) => this.waiting.push(resolve)));
    let ok = false;
    try {
      const y = await lane.run(in48, signal);
      ok = true;
      return y;
    } finally {
      // A lane that failed or was killed mid-block is replaced (it starts in the background, ~0.5 s).
      if (!ok || lane.dead) this.lastKilledChild = lane.childPid;
      this.release(ok && !lane.dead ? lane : this.closed ? undefined : this.spawn());
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const l of this.started) if (!l.dead) l.kill();
  }

  private spawn(): Lane {
    const l = new Lane(this.opts);
    this.started = [...this.started.filter((x) => !x.dead), l];
    return l;
  }

  private release(lane: Lane | undefined): void {
    if (!lane) return;
    if (this.closed) return void lane.kill();
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.free.push(lane);
  }
}
