/**
 * The llama.cpp peer of the LLM bench: llama-bench and llama-completion built from the llama.cpp
 * source node-llama-cpp ships (scripts/bench/install-llama-cpp-peer.sh), run on the same GGUF with
 * the same threads and context as our runtime. Numbers come from llama.cpp's own timers
 * (llama_perf_context_print), which start after the model is loaded, like ours (the worker keeps its
 * model loaded between jobs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';

const REPO = path.join(__dirname, '..');

/** Builds the peer when needed (idempotent, ~minutes the first time) and returns its bin dir. */
export function installPeer(): string {
  const out = execFileSync('bash', [path.join(REPO, 'scripts', 'bench', 'install-llama-cpp-peer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export interface PeerSettings {
  bin: string;
  modelPath: string;
  threads: number;
  contextSize: number;
}

export interface PeerCompletion {
  text: string;
  promptTokens: number;
  promptMs: number;
  /** Tokens generated (the first comes from the prompt's logits, the rest from `evalRuns` decodes). */
  outputTokens: number;
  evalRuns: number;
  evalMs: number;
  /** llama.cpp's "total time": prompt evaluation to last token, model load excluded. */
  totalMs: number;
  /** Prompt evaluation plus sampling the first token. */
  firstTokenMs: number;
}

/**
 * One completion of an already chat-formatted prompt, greedy, at most maxTokens, stopping at the
 * end-of-turn token like the runtime. llama.cpp's defaults otherwise (batch 2048/ubatch 512, flash
 * attention auto): the peer is llama.cpp as its users run it.
 */
export async function peerComplete(s: PeerSettings, prompt: string, maxTokens: number): Promise<PeerCompletion> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-llm-peer-'));
  const file = path.join(dir, 'prompt.txt');
  fs.writeFileSync(file, prompt);
  try {
    const args = ['-m', s.modelPath, '-t', String(s.threads), '-c', String(s.contextSize), '-f', file, '-n', String(maxTokens),
      '--temp', '0', '--top-k', '1', '--seed', '1', '-no-cnv', '--no-display-prompt', '--no-escape'];
    const { stdout, stderr, code } = await run(path.join(s.bin, 'llama-completion'), args);
    if (code !== 0) throw new Error(`llama-completion exited ${code}: ${stderr.slice(-2000)}`);
    const num = (re: RegExp) => {
      const m = re.exec(stderr);
      if (!m) throw new Error(`llama-completion output lacks ${re}: ${stderr.slice(-1500)}`);
      return m.slice(1).map(Number);
    };
    const [promptMs, promptTokens] = num(/prompt eval time =\s*([\d.]+) ms \/\s*(\d+) tokens/);
    const [evalMs, evalRuns] = num(/\beval time =\s*([\d.]+) ms \/\s*(\d+) runs/);
    const [totalMs] = num(/total time =\s*([\d.]+) ms/);
    const sampling = /sampling time =\s*([\d.]+) ms \/\s*(\d+) runs/.exec(stderr);
    const sampleMs = sampling ? Number(sampling[1]) / Math.max(1, Number(sampling[2])) : 0;
    return { text: stdout.replace(/\s*\[end of text\]\s*$/, ''), promptTokens, promptMs, outputTokens: evalRuns + 1, evalRuns, evalMs, totalMs, firstTokenMs: promptMs + sampleMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PeerBench {
  ppTokens: number;
  ppTps: number;
  tgTokens: number;
  tgTps: number;
}

/** llama-bench's own pp<N>/tg<N> (N repetitions, mean), a reference for raw llama.cpp speed here. */
export async function peerLlamaBench(s: PeerSettings, pp: number, tg: number, reps: number): Promise<PeerBench> {
  const args = ['-m', s.modelPath, '-t', String(s.threads), '-p', String(pp), '-n', String(tg), '-r', String(reps), '-o', 'json'];
  const { stdout, stderr, code } = await run(path.join(s.bin, 'llama-bench'), args);
  if (code !== 0) throw new Error(`llama-bench exited ${code}: ${stderr.slice(-2000)}`);
  const rows = JSON.parse(stdout) as Array<{ n_prompt: number; n_gen: number; avg_ts: number }>;
  const ppRow = rows.find((r) => r.n_prompt > 0 && r.n_gen === 0);
  const tgRow = rows.find((r) => r.n_gen > 0 && r.n_prompt === 0);
  if (!ppRow || !tgRow) throw new Error(`llama-bench gave no pp/tg rows: ${stdout.slice(0, 500)}`);
  return { ppTokens: pp, ppTps: ppRow.avg_ts, tgTokens: tg, tgTps: tgRow.avg_ts };
}

/** The peer's version line ("0.4.0-dev (build 1, commit 80fb11a)"), for the report. */
export function peerVersion(bin: string): string {
  // llama.cpp tools print it on stderr.
  const r = spawnSync(path.join(bin, 'llama-completion'), ['--version'], { encoding: 'utf8' });
  return /version:\s*(.+)/.exec(`${r.stdout}${r.stderr}`)?.[1].trim() ?? 'unknown';
}

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
