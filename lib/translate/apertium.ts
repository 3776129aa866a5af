/**
 * Apertium (Debian's rule-based MT, scripts/models/install-apertium.sh) as a translation engine:
 * `apertium -u <mode>` as a child process per call, pieces one per line (Apertium keeps lines),
 * bounded in input size, output size and time. `-u` drops the `*`/`#` marks Apertium puts
 * on words it does not know: the word itself stays, untranslated, which reads better in a reply.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EngineOutput, LanguagePair, TranslateHooks, TranslationEngine } from './engine';
import { pairId } from './languages';

/** Apertium's mode name for each pair it may serve (Debian bookworm: apertium-eng-spa, -eng-cat, -en-gl). */
export const APERTIUM_MODES: Readonly<Record<string, string>> = {
  'en-es': 'eng-spa',
  'es-en': 'spa-eng',
  'en-ca': 'eng-cat',
  'ca-en': 'cat-eng',
  'en-gl': 'en-gl',
  'gl-en': 'gl-en',
};

export interface ApertiumSettings {
  /** The `apertium` executable (VOXFLOW_APERTIUM_PATH). */
  bin: string;
  /** One child process may run this long before it is killed. */
  timeoutMs: number;
}

/** Bytes of input per child process; a larger batch is several calls. */
const CALL_BYTES = 64 * 1024;

export class ApertiumError extends Error {}

/**
 * Runs `apertium <args> <file>` on `input`; rejects on timeout, abort, a non-zero exit or runaway
 * output. The text goes through a private temporary file, not stdin: the `apertium` script reads
 * `/dev/stdin` by path, which cannot be opened when stdin is the socket Node gives a child.
 */
export async function runApertium(settings: ApertiumSettings, args: string[], input: string, signal?: AbortSignal): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'voxflow-apertium-'));
  const file = path.join(dir, 'input.txt');
  try {
    await fs.writeFile(file, input, { mode: 0o600 });
    return await spawnApertium(settings, [...args, file], signal, Buffer.byteLength(input));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function spawnApertium(settings: ApertiumSettings, args: string[], signal: AbortSignal | undefined, inputBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group: `apertium` is a shell pipeline, and a timeout must kill all of it.
    const child = spawn(settings.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failed: Error | undefined;
    const maxOut = Math.max(1 << 20, inputBytes * 8);
    const kill = (why: Error) => {
      failed ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill(new ApertiumError(`apertium ${args.join(' ')} took longer than ${settings.timeoutMs} ms`)), settings.timeoutMs);
    const onAbort = () => kill(signal?.reason instanceof Error ? signal.reason : new Error('translation aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxOut) kill(new ApertiumError(`apertium wrote more than ${maxOut} bytes`));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    child.on('error', (e: NodeJS.ErrnoException) =>
      kill(e.code === 'ENOENT' ? new ApertiumError(`apertium is not installed (looked for '${settings.bin}'): run scripts/models/install-apertium.sh`) : e),
    );
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failed) return reject(failed);
      if (code !== 0) return reject(new ApertiumError(`apertium ${args.join(' ')} exited with ${code}: ${err.trim()}`));
      resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

/** Modes this machine's Apertium has (`apertium -l`), or none when it is not installed. */
export async function installedApertiumModes(settings: ApertiumSettings): Promise<Set<string>> {
  try {
    const listed = await spawnApertium(settings, ['-l'], undefined, 0);
    return new Set(listed.split('\n').map((l) => l.trim()).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** Apertium's spacing artefacts (runs of spaces where it dropped a word) removed. */
const tidy = (line: string) => line.replace(/[ \t]+/g, ' ').trim();

export class ApertiumTranslator implements TranslationEngine {
  readonly kind = 'apertium' as const;
  constructor(private readonly settings: ApertiumSettings) {}

  async translate(pieces: readonly string[], pair: LanguagePair, hooks: TranslateHooks = {}): Promise<EngineOutput> {
    const mode = APERTIUM_MODES[pairId(pair.source, pair.target)];
    if (!mode) throw new ApertiumError(`Apertium has no mode for ${pairId(pair.source, pair.target)}`);
    const texts: string[] = [];
    // Pieces have no newlines (segment.ts); one line each, as many per call as CALL_BYTES allows.
    let group: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!group.length) return;
      const lines = (await runApertium(this.settings, ['-u', mode], group.join('\n') + '\n', hooks.signal)).replace(/\n$/, '').split('\n');
      // Apertium keeps one output line per input line; should it ever not, each piece is run alone.
      let aligned = lines;
      if (lines.length !== group.length) {
        aligned = [];
        for (const p of group) aligned.push((await runApertium(this.settings, ['-u', mode], p + '\n', hooks.signal)).replace(/\n/g, ' '));
      }
      texts.push(...aligned.map(tidy));
      hooks.onProgress?.(texts.length);
      group = [];
      bytes = 0;
    };
    for (const piece of pieces) {
      const line = piece.replace(/\s+/g, ' ');
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size > CALL_BYTES) await flush();
      group.push(line);
      bytes += size;
    }
    await flush();
    return { texts, model: `apertium-${mode}`, promptTokens: 0, outputTokens: 0 };
  }
}
