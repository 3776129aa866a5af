/**
 * What the SDK and example-client tests share: a stack configured for short real speech and the
 * small LLM, paid keys (one with credits, one without), the speech file in the containers the
 * clients name (meeting.mp3, video.mp4), and running a client process without blocking the event
 * loop (the API under test lives in this very process).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { encodeAs } from '../helpers/media';
import { jfk } from '../helpers/models';
import { paidKeyOn } from '../helpers/text-api';
import type { Stack } from '../helpers/stack';
import type { Config } from '../../lib/config';

export const SDK_LLM = 'qwen2.5-coder-0.5b-instruct-q4_k_m';

export function sdkTestConfig(env: Record<string, string> = {}): Config {
  return testConfig({
    VOXFLOW_LLM_MODEL: SDK_LLM,
    // One thread: jest runs two files at once on two cores (see test/api/summarize.test.ts).
    VOXFLOW_LLM_THREADS: '1',
    VOXFLOW_LLM_CONTEXT: '2048',
    VOXFLOW_LLM_CHUNK_TOKENS: '1024',
    // Short summaries: the tests check shape and a planted word, not prose.
    VOXFLOW_LLM_MAX_TOKENS: '160',
    VOXFLOW_SYNC_WAIT_MS: '300000',
    ...env,
  });
}

export async function keysOn(stack: Stack, prefix: string) {
  const paid = await paidKeyOn(stack, prefix, 200);
  const broke = await paidKeyOn(stack, `${prefix}-broke`, 0);
  const bare = (h: Record<string, string>) => h.Authorization.replace(/^Bearer /, '');
  return { key: bare(paid.headers), brokeKey: bare(broke.headers), account: paid.account };
}

/** jfk.wav (11 s, real speech) as the files the example clients open: meeting.mp3 and video.mp4. */
export function clientMedia(dir: string): { dir: string; mp3: string; mp4: string; wav: string; text: string } {
  fs.mkdirSync(dir, { recursive: true });
  const { wav, text } = jfk();
  const mp3 = path.join(dir, 'meeting.mp3');
  const mp4 = path.join(dir, 'video.mp4');
  if (!fs.existsSync(mp3)) fs.renameSync(encodeAs(wav, 'mp3', dir), mp3);
  if (!fs.existsSync(mp4)) fs.renameSync(encodeAs(wav, 'mp4', dir), mp4);
  return { dir, mp3, mp4, wav, text };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The Python SDK's cached venv (scripts/install-sdk-python.sh; npm test runs it first). */
export async function sdkPython(): Promise<string> {
  const root = path.resolve(__dirname, '../..');
  const res = await runProcess('bash', [path.join(root, 'scripts', 'install-sdk-python.sh')], { timeoutMs: 300_000 });
  if (res.code !== 0) throw new Error(`install-sdk-python.sh failed: ${res.stderr}`);
  return res.stdout.trim();
}

const NODE_SDK = path.resolve(__dirname, '../../sdk/node');

/** Hash of what the Node SDK's build depends on: its sources, tsconfigs and package.json. */
function nodeSdkSourceHash(): string {
  const h = crypto.createHash('sha256');
  const files = ['package.json', 'tsconfig.json', 'tsconfig.esm.json', 'tsconfig.cjs.json', 'scripts/mark-module-types.cjs',
    ...fs.readdirSync(path.join(NODE_SDK, 'src')).sort().map((f) => `src/${f}`)];
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(NODE_SDK, f)));
  return h.digest('hex').slice(0, 16);
}

/**
 * Builds sdk/node (ESM and CJS, as its `npm run build` does, with the repo's pinned TypeScript) once
 * per source state: a build whose hash matches is reused, so two test files never build twice. Each
 * build goes to its own folder first and is renamed into place, so a concurrent reader never sees
 * half a build.
 */
export async function buildNodeSdk(): Promise<string> {
  const dist = path.join(NODE_SDK, 'dist');
  const hash = nodeSdkSourceHash();
  const stamp = path.join(dist, '.source-hash');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return NODE_SDK;
  const tmp = path.join(NODE_SDK, `.dist-${process.pid}-${Date.now()}`);
  const tsc = require.resolve('typescript/bin/tsc');
  for (const [cfg, out] of [['tsconfig.esm.json', 'esm'], ['tsconfig.cjs.json', 'cjs']]) {
    const res = await runProcess(process.execPath, [tsc, '-p', path.join(NODE_SDK, cfg), '--outDir', path.join(tmp, out)], { cwd: NODE_SDK, timeoutMs: 180_000 });
    if (res.code !== 0) throw new Error(`tsc -p ${cfg} failed:\n${res.stdout}${res.stderr}`);
  }
  fs.writeFileSync(path.join(tmp, 'esm', 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(tmp, 'cjs', 'package.json'), '{"type":"commonjs"}\n');
  fs.writeFileSync(path.join(tmp, '.source-hash'), hash);
  // Another test file may have finished the same build meanwhile (and may be using it): keep that one.
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return NODE_SDK;
  }
  fs.rmSync(dist, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dist);
  } catch {
    // Another test file renamed its identical build into place first.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return NODE_SDK;
}

/** A folder where `require('voxflow')` / `import 'voxflow'` resolve to sdk/node through its package.json "exports". */
export function voxflowPackageHome(dir: string): string {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const link = path.join(modules, 'voxflow');
  if (!fs.existsSync(link)) fs.symlinkSync(NODE_SDK, link, 'dir');
  return dir;
}
