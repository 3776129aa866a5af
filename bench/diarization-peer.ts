/**
 * Diarization benchmark peer: sherpa-onnx 2.0.1 offline speaker diarization (pyannote
 * segmentation-3.0 + the same CAM++ speaker embeddings we use + its agglomerative clustering), run in
 * its own Python process (bench/peer/sherpa_diarization.py) from the venv and models that
 * scripts/models/install-diarization-peer.sh installs. Models load once per call; every case is then
 * diarized in turn, so per-file seconds exclude loading and peak RSS is the peer process's alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cacheDir } from '../test/helpers/models';
import type { SpeakerTurn } from '../lib/diarization/types';

/** Keep in step with scripts/models/install-diarization-peer.sh. */
const SHERPA_ONNX_VERSION = '2.0.1';
const INSTALLER = 'scripts/models/install-diarization-peer.sh';
const REPO = path.join(__dirname, '..');

export interface DiarizationPeerCase {
  name: string;
  /** 16 kHz mono PCM16 wav (other rates/channels are downmixed and resampled by the peer, inside the timed part). */
  wav: string;
  /** Known number of speakers, or 0 to let the clustering threshold decide. */
  speakers: number;
}

export interface DiarizationPeerOptions {
  threads: number;
  /** sherpa-onnx FastClustering distance threshold, used when a case's speakers is 0 (sherpa's default: 0.5). */
  threshold: number;
}

export interface DiarizationPeerFile {
  name: string;
  /** Sorted by start; speaker labels are sherpa's cluster ids ("0", "1", ...). */
  turns: SpeakerTurn[];
  /** Wall time: reading the wav + segmentation + embeddings + clustering. */
  seconds: number;
  /** Audio length, seconds. */
  duration: number;
  /** Peak RSS of the peer process up to the end of this file. */
  peakRssKb: number;
}

export interface DiarizationPeerResult {
  load: { seconds: number; peakRssKb: number; versions: Record<string, string> };
  files: DiarizationPeerFile[];
  /** Peak RSS of the peer process over the whole run. */
  peakRssKb: number;
  /** Wall time of the child process, spawn to exit. */
  wallSeconds: number;
}

/** The peer's interpreter and models, or an error naming the installer. */
export function diarizationPeerPaths(): { python: string; segmentation: string; embedding: string } {
  const models = path.join(cacheDir(), 'models', 'diarization-peer');
  const p = {
    python: path.join(cacheDir(), 'tools', `sherpa-onnx-${SHERPA_ONNX_VERSION}`, 'bin', 'python'),
    segmentation: path.join(models, 'segmentation-3.0.sherpa.onnx'),
    embedding: path.join(models, 'campplus.sherpa.onnx'),
  };
  for (const f of [p.python, p.segmentation, p.embedding, path.join(models, 'manifest.json')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run ${INSTALLER}`);
  }
  return p;
}

export async function runDiarizationPeer(cases: DiarizationPeerCase[], opts: DiarizationPeerOptions): Promise<DiarizationPeerResult> {
  const peer = diarizationPeerPaths();
  const script = path.join(REPO, 'bench', 'peer', 'sherpa_diarization.py');
  const args = [script, '--threads', String(opts.threads), '--threshold', String(opts.threshold), '--segmentation', peer.segmentation, '--embedding', peer.embedding];
  return runDiarizerProcess(peer.python, args, cases, 'sherpa_diarization.py');
}

/**
 * Runs a diarizer process that speaks the benchmark's JSON-lines protocol (ours and the peer do): the
 * cases file is its last argument; it prints load, one file event per case, then done.
 */
export async function runDiarizerProcess(command: string, args: string[], cases: DiarizationPeerCase[], label: string): Promise<DiarizationPeerResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-diar-bench-'));
  const casesFile = path.join(dir, 'cases.json');
  fs.writeFileSync(casesFile, JSON.stringify(cases.map((c) => ({ name: c.name, wav: path.resolve(c.wav), speakers: c.speakers }))));
  args = [...args, casesFile];
  try {
    return await new Promise<DiarizationPeerResult>((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(command, args, { cwd: REPO, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code !== 0) return reject(new Error(`${label}: ${command} exited ${code ?? signal}\n${err}`));
        let events: Array<Record<string, any>>;
        try {
          events = out
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, any>);
        } catch (e) {
          return reject(new Error(`${label}: unparsable output (${(e as Error).message})\n${out}\n${err}`));
        }
        const load = events.find((e) => e.event === 'load');
        const done = events.find((e) => e.event === 'done');
        const files = events.filter((e) => e.event === 'file');
        if (!load || !done || files.length !== cases.length) return reject(new Error(`${label}: incomplete output\n${out}\n${err}`));
        resolve({
          load: { seconds: load.seconds, peakRssKb: load.peak_rss_kb, versions: load.versions },
          files: files.map((f) => ({
            name: f.name,
            turns: (f.turns as Array<{ start: number; end: number; speaker: string | number }>).map((t) => ({ start: t.start, end: t.end, speaker: String(t.speaker) })),
            seconds: f.seconds,
            duration: f.duration,
            peakRssKb: f.peak_rss_kb,
          })),
          peakRssKb: done.peak_rss_kb,
          wallSeconds: (performance.now() - t0) / 1000,
        });
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
