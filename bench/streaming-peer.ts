/**
 * The streaming bench's peer: whisper_streaming's LocalAgreement-2 policy on faster-whisper with the
 * same Whisper base weights (bench/peer/whisper_streaming_peer.py), N processes at once, each fed the
 * same recording at real time and started in step. Measured with the same definitions as ours, from
 * the same reference word times (our final words of the same audio):
 *  - word end → partial: the first commit holding the word (a commit is whisper_streaming's stable output);
 *  - utterance end → text: the commit of the utterance's last word (its commits are final: no separate text).
 * Absent peer (scripts/models/install-faster-whisper.sh not run): undefined, and the bench says so.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { normalizeWords } from '../test/helpers/wer';
import { cacheDir } from '../test/helpers/models';

export interface RefUtterance {
  /** Audio seconds. */
  end: number;
  words: Array<{ word: string; end: number }>;
}

export interface PeerRun {
  partialMs: number[];
  finalMs: number[];
  missed: number;
  meanIterationS: number;
}

interface Commit {
  at: number;
  words: Array<[number, number, string]>;
}

export function peerInstalled(): { python: string; modelDir: string } | undefined {
  const python = path.join(cacheDir(), 'tools', 'faster-whisper-1.2.1', 'bin', 'python');
  const modelDir = path.join(cacheDir(), 'models', 'whisper-ct2', 'base');
  return fs.existsSync(python) && fs.existsSync(path.join(modelDir, 'model.bin')) ? { python, modelDir } : undefined;
}

/** N peers streaming `pcm` at real time, in step; latencies against the reference utterances. */
export async function runPeers(pcm: Buffer, ref: RefUtterance[], n: number, opts: { computeType: string; beamSize: number }): Promise<PeerRun[]> {
  const peer = peerInstalled();
  if (!peer) throw new Error('peer not installed');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vx-peer-')), 'audio.s16le');
  fs.writeFileSync(file, pcm);
  const threads = Math.max(1, Math.floor(os.availableParallelism() / n));
  const script = path.join(__dirname, 'peer', 'whisper_streaming_peer.py');
  const procs = Array.from({ length: n }, () => {
    const p = spawn(peer.python, [script, '--model-dir', peer.modelDir, '--pcm', file, '--language', 'en', '--threads', String(threads), '--compute-type', opts.computeType, '--beam-size', String(opts.beamSize)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const commits: Commit[] = [];
    let meanIterationS = NaN;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    readline.createInterface({ input: p.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as { event: string; at: number; words: Commit['words']; mean_iteration_s: number };
      if (m.event === 'ready') ready();
      else if (m.event === 'commit') commits.push(m);
      else if (m.event === 'done') meanIterationS = m.mean_iteration_s;
    });
    const exited = new Promise<void>((res, rej) => p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`peer exited ${code}`)))));
    return { p, commits, isReady, exited, iteration: () => meanIterationS };
  });
  await Promise.all(procs.map((x) => x.isReady));
  for (const x of procs) x.p.stdin.write('go\n');
  await Promise.all(procs.map((x) => x.exited));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return procs.map((x) => ({ ...score(x.commits, ref), meanIterationS: x.iteration() }));
}

/** Reference words matched in order to committed words (a committed word may be skipped, as may a reference one). */
function score(commits: Commit[], ref: RefUtterance[]): Omit<PeerRun, 'meanIterationS'> {
  const committed = commits.flatMap((c) => c.words.flatMap(([, , w]) => normalizeWords(w).map((word) => ({ word, at: c.at }))));
  let k = 0;
  const partialMs: number[] = [];
  const finalMs: number[] = [];
  let missed = 0;
  for (const u of ref) {
    let last: number | undefined;
    for (const w of u.words) {
      const word = normalizeWords(w.word)[0];
      if (!word) continue;
      const j = committed.slice(k, k + 4).findIndex((c) => c.word === word);
      if (j < 0) {
        missed++;
        continue;
      }
      const at = committed[k + j].at;
      k += j + 1;
      partialMs.push(Math.round((at - w.end) * 1000));
      last = at;
    }
    if (last !== undefined) finalMs.push(Math.round((last - u.end) * 1000));
  }
  return { partialMs, finalMs, missed };
}
