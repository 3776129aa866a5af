/**
 * What the SDK and example-client tests share: a stack configured for short real speech and the
 * small LLM, paid keys (one with credits, one without), the speech file in the containers the
 * clients name (meeting.mp3, video.mp4), and running a client process without blocking the event
 * loop (the API under test lives in this very process).
 */
import { spawn } from 'node:child_process';
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
