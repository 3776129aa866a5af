/**
 * schemathesis (pinned, scripts/install-schemathesis.sh) fuzzes the live API from its own
 * /openapi.json, valid and invalid requests alike, and fails on any 5xx. Bounded: a time budget and
 * a cap on examples per operation. Only the control worker runs (job views answer; a probe of random bytes fails fast), no gpu worker,
 * so the inference endpoints only validate, admit and queue (Prefer: respond-async answers 202 at once): their request volume costs no inference.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn } from '../helpers/text-api';

jest.setTimeout(300_000);

const MAX_TIME_S = 60;
let stack: Stack;
let schemathesis: string;

beforeAll(async () => {
  schemathesis = execFileSync('bash', [path.join(__dirname, '../../scripts/install-schemathesis.sh')], { encoding: 'utf8' }).trim();
  stack = await startStack(testConfig({ VOXFLOW_SYNC_WAIT_MS: '0', VOXFLOW_PAID_CONCURRENT: '100000', VOXFLOW_ANON_JOBS_PER_DAY: '100000', VOXFLOW_ANON_CONCURRENT: '100000' }), { api: true, roles: ['control'] });
});
afterAll(async () => {
  // The queued jobs never run (no gpu worker): end them, so no request of the API still waits on one when the stack stops.
  if (stack) {
    for await (const w of stack.client.workflow.list({ query: `TaskQueue = '${stack.config.temporal.taskQueues.control}' AND ExecutionStatus = 'Running'` })) {
      await stack.client.workflow.getHandle(w.workflowId).terminate('fuzz run over').catch(() => undefined);
    }
  }
  await stack?.stop();
});

it(`schemathesis finds no 5xx in ${MAX_TIME_S} s of generated requests`, async () => {
  const { headers } = await paidKeyOn(stack, 'fuzz', 1_000_000);
  const args = [
    'run',
    `${stack.baseUrl}/openapi.json`,
    '--checks', 'not_a_server_error',
    '--max-examples', '25',
    '--max-time', String(MAX_TIME_S),
    // One worker: hypothesis' lambda descriptions raced in threads (a SystemError from ast) with two.
    '--workers', '1',
    '--seed', '16',
    '--request-timeout', '20',
    '--phases', 'examples,coverage,fuzzing',
    '--suppress-health-check', 'all',
    '-H', `Authorization: ${headers.Authorization}`,
    // Job routes answer 202 at once instead of waiting for a job that no worker will run.
    '-H', 'Prefer: respond-async',
    // Without a gpu worker /health truthfully answers 503: that is its contract, not a fault.
    '--exclude-path', '/health',
  ];
  const started = Date.now();
  const res = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(schemathesis, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const summary = res.out.split('\n').filter((l) => /passed|failed|errored|Test cases|operations|Operations/i.test(l)).slice(-6).join('\n');
  console.log(`schemathesis: exit ${res.code} in ${seconds} s\n${summary}`);
  if (res.code !== 0) console.error(res.out.slice(-12_000));
  else console.log(res.out.slice(-4000));
  expect(res.out).toMatch(/test cases/i);
  expect(res.code).toBe(0);
});
