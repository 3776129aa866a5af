import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Keeps only the tail of stderr: ffmpeg can be chatty and the end says what went wrong. */
const STDERR_TAIL = 8192;

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with each stdout line when `-progress pipe:1` is used. */
  onStdoutLine?: (line: string) => void;
  collectStdout?: boolean;
}

export function runTool(bin: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    const out: Buffer[] = [];
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (c: Buffer) => {
      if (opts.collectStdout !== false) out.push(c);
      if (opts.onStdoutLine) {
        const lines = (partial + c.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) opts.onStdoutLine(line);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', (err) => reject(err));
    child.on('close', (code, signal) => resolve({ stdout: Buffer.concat(out), stderr, code, signal }));
  });
}

/** Spawns ffmpeg writing to stdout and hands back the stream plus a promise of its exit. */
export function spawnStreaming(
  bin: string,
  args: string[],
  signal?: AbortSignal,
): { stdout: Readable; exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-STDERR_TAIL);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  exited.catch(() => undefined);
  return { stdout: child.stdout, exited };
}

/** First meaningful line of ffmpeg's complaint, for error messages that reach users. */
export function summarizeStderr(stderr: string, file?: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => (file ? l.split(file).join('<input>') : l).replace(/\[[\w:-]+ @ 0x[0-9a-f]+\]\s*/g, '').trim())
    .filter(Boolean);
  return lines.slice(-2).join('; ').slice(0, 300) || 'unknown ffmpeg error';
}

/** A line handler for `-progress pipe:1` output: calls back with the seconds of media processed so far. */
export function onProgressSeconds(cb: (seconds: number) => void): (line: string) => void {
  return (line) => {
    const m = /^out_time_us=(\d+)/.exec(line);
    if (m) cb(Number(m[1]) / 1e6);
  };
}
