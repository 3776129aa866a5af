/**
 * The official `openai` Python package (pinned, scripts/install-openai-clients.sh) against a live
 * voxflow: every response format, word timestamps, translation, models.list(), typed errors. The
 * checks are in test/openai/openai_python_check.py; this file starts the stack and runs it.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { asteriskPrompt, jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(600_000);

let stack: Stack;
let python: string;

beforeAll(async () => {
  python = execFileSync('bash', [path.join(__dirname, '../../scripts/install-openai-clients.sh')], { encoding: 'utf8' }).trim();
  stack = await startStack(testConfig(), { api: true });
});
afterAll(() => stack?.stop());

function run(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(python, [path.join(__dirname, '../openai/openai_python_check.py')], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

it('the openai Python SDK transcribes (5 formats), translates, lists models and raises typed errors; 3 jobs charged', async () => {
  const { account, headers } = await paidKeyOn(stack, 'openai-py', 100);
  const res = await run({
    VOXFLOW_BASE_URL: stack.baseUrl!,
    VOXFLOW_KEY: headers.Authorization.slice('Bearer '.length),
    ENGLISH_WAV: jfk().wav,
    SPANISH_WAV: asteriskPrompt('es', 'conf-onlyperson').wav,
  });
  if (res.code !== 0) console.error(res.err);
  expect(res.code).toBe(0);
  const seen = JSON.parse(res.out.trim().split('\n').pop()!);
  console.log(`openai-python saw: ${JSON.stringify(seen)}`);
  expect(seen.models).toContain('whisper-1');
  expect(seen.verbose_words).toBeGreaterThan(15);
  // The four renderings shared one job (Idempotency-Key); verbose_json and the translation are one each: 3 × 1 credit.
  expect(await stack.ledger.balance(account.id)).toBe(97);
});
