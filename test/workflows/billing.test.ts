/**
 * Per-step credits through real workflows: reserved before a step, settled after, refunded on
 * failure or cancellation, exactly once across retries; concurrent jobs never overdraw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { createStore } from '../../lib/storage';
import { failureOf } from '../../api/errors';
import type { JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { longNoisyAudio } from '../helpers/media';
import { activityAttempts, startJob, until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';
import { flakyStore } from '../helpers/flaky-store';

const config = testConfig({ VOXFLOW_GPU_CONCURRENCY: '4' });
let stack: Stack;
const flaky = flakyStore(createStore(config));
let dir: string;
let clip: string;


beforeAll(async () => {
  stack = await startStack(config, { store: flaky.store });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
  clip = path.join(dir, 'clip.wav'); // 2 s: one started minute = 1 credit
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=2:r=16000', clip]);
});
afterAll(() => stack?.stop());

const account = (credits: number) => stack.ledger.createAccount({ tenant: `billing-${Math.random()}`, credits });
const billed = (accountId: string) => ({ billing: { accountId } });

it('charges a succeeded step once: reserve, then settle', async () => {
  const a = await account(5);
  const { handle, jobId } = await startJob(stack.client, config, stack.store, clip, 'enhance-audio', a.tenant, billed(a.id));
  const result = (await handle.result()) as JobResult;
  expect(await stack.ledger.balance(a.id)).toBe(4);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 1, settled: 1, refunded: null }]);
  expect(result.steps.find((s) => s.name === 'enhance')!.credits).toEqual({ reserved: 1, charged: 1 });
  expect(result.steps.find((s) => s.name === 'probe')!.credits).toBeUndefined();
});

it('a step that fails twice and then succeeds is charged once', async () => {
  const a = await account(5);
  flaky.failures.next = 2;
  const { handle, jobId } = await startJob(stack.client, config, stack.store, clip, 'enhance-audio', a.tenant, billed(a.id));
  await handle.result();
  expect((await activityAttempts(stack.client, jobId)).enhance).toEqual([3]);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 1, settled: 1, refunded: null }]);
  expect(await stack.ledger.balance(a.id)).toBe(4);
});

it('a job cancelled mid-step gets its reservation refunded', async () => {
  const a = await account(100);
  const long = longNoisyAudio(dir, 1800, 'cancel.wav'); // 30 minutes = 30 credits
  const { handle, jobId } = await startJob(stack.client, config, stack.store, long, 'enhance-audio', a.tenant, billed(a.id));
  await until(async () => (await stack.ledger.balance(a.id)) === 70, 60_000);
  await until(async () => (await handle.describe()).raw.pendingActivities?.some((p) => p.activityType?.name === 'enhance'), 60_000);
  await handle.cancel();
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'enhance', reserved: 30, settled: null, refunded: 30 }]);
  expect(await stack.ledger.balance(a.id)).toBe(100);
});

it('fails fast with InsufficientCredits before any GPU work when the balance is short', async () => {
  const a = await account(0);
  const { handle, jobId } = await startJob(stack.client, config, stack.store, clip, 'enhance-audio', a.tenant, billed(a.id));
  const err = await handle.result().catch((e) => e);
  expect(failureOf(err)?.type).toBe('InsufficientCredits');
  expect(failureOf(err)?.message).toBe('No credits remaining. Upgrade your plan.');
  expect((await activityAttempts(stack.client, jobId)).enhance).toBeUndefined();
  expect(await stack.ledger.balance(a.id)).toBe(0);
});

it('50 parallel jobs from one account with credits for 20: exactly 20 run, the rest fail, balance ends at 0', async () => {
  const a = await account(20);
  const jobs = await Promise.all(
    Array.from({ length: 50 }, () => startJob(stack.client, config, stack.store, clip, 'enhance-audio', a.tenant, billed(a.id))),
  );
  const outcomes = await Promise.allSettled(jobs.map((j) => j.handle.result()));
  const ok = outcomes.filter((o) => o.status === 'fulfilled');
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(ok).toHaveLength(20);
  expect(failed).toHaveLength(30);
  for (const f of failed) expect(failureOf(f.reason)?.type).toBe('InsufficientCredits');
  expect(await stack.ledger.balance(a.id)).toBe(0);
  // The failed ones never reached the GPU step.
  const attempts = await Promise.all(failed.map((_, i) => activityAttempts(stack.client, jobs[outcomes.indexOf(failed[i])].jobId)));
  for (const at of attempts) expect(at.enhance).toBeUndefined();
}, 240_000);
