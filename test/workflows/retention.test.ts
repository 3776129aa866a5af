/**
 * Retention, run as Temporal runs it (the retentionSweep workflow on the control queue, real workers,
 * real storage) on local disk and on MinIO: finished jobs past their retention lose their upload,
 * their outputs and their execution; running and recent jobs are left alone; objects no job refers
 * to go after the grace period. "Later" is the sweep's own clock (asOf), not a mocked one.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { RetentionSweepResult } from '../../activities/retention';
import type { RetentionInput } from '../../workflows/retention';
import { testConfig } from '../helpers/config';
import { speechWav } from '../helpers/media';
import { startJob, until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';

const DAY = 86_400_000;
const backends: Array<['local' | 'minio']> = [['local'], ['minio']];

describe.each(backends)('retention sweep (%s)', (kind) => {
  const config = testConfig({ VOXFLOW_STORAGE: kind });
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(config);
  });
  afterAll(() => stack?.stop());

  const sweep = (input: Partial<RetentionInput> & { asOf: string }) =>
    stack.client.workflow.execute('retentionSweep', {
      taskQueue: config.temporal.taskQueues.control,
      workflowId: `retention-test-${crypto.randomUUID()}`,
      args: [{ days: 30, failedDays: 7, orphanGraceHours: 24, ...input }],
    }) as Promise<RetentionSweepResult>;
  const exists = async (key: string) => (await stack.store.stat(key)) !== null;
  const later = (days: number) => new Date(Date.now() + days * DAY).toISOString();

  it('deletes old finished jobs and orphans, keeps running and recent jobs', async () => {
    const dir = path.join(config.dataDir, 'media');
    const file = speechWav(dir, 'Retention keeps this for thirty days.');

    // A finished job (upload + enhanced output).
    const done = await startJob(stack.client, config, stack.store, file);
    await done.handle.result();
    const doneOutput = `jobs/${done.jobId}/enhanced.wav`;
    expect(await exists(done.input.mediaKey)).toBe(true);
    expect(await exists(doneOutput)).toBe(true);

    // A running job: its enhance step waits on a queue no worker polls.
    const stuckQueues = { ...config.temporal.taskQueues, gpu: `nobody-${crypto.randomUUID()}` };
    const running = await startJob(stack.client, config, stack.store, file, 'enhance-audio', 'tenant-test', { queues: stuckQueues });
    // A cancelled job, with something under its outputs folder.
    const cancelled = await startJob(stack.client, config, stack.store, file, 'enhance-audio', 'tenant-test', { queues: stuckQueues });
    await stack.store.put(`jobs/${cancelled.jobId}/partial.bin`, 'x');
    await until(async () => (await running.handle.describe()).raw.pendingActivities?.length);
    await until(async () => (await cancelled.handle.describe()).raw.pendingActivities?.length);
    await cancelled.handle.cancel();
    await expect(cancelled.handle.result()).rejects.toThrow();

    // Orphans: an upload whose job never started, outputs of a job that does not exist.
    const orphanUpload = `uploads/${crypto.randomUUID()}/source.wav`;
    const orphanOutput = `jobs/job_${crypto.randomUUID().replace(/-/g, '')}/enhanced.wav`;
    await stack.store.put(orphanUpload, 'RIFF');
    await stack.store.put(orphanOutput, 'RIFF');
    // A partial write of a process that died mid-upload (a temp file; an incomplete multipart upload).
    const partial = stack.store.openWrite(`uploads/${crypto.randomUUID()}/source.wav`);
    partial.stream.write(Buffer.alloc(1024, 1));

    // Now: everything is recent, nothing goes.
    let r = await sweep({ asOf: new Date().toISOString() });
    expect(r.expiredJobs).toEqual([]);
    expect(r.orphanFolders).toEqual([]);
    expect(r.incompleteWrites).toBe(0);
    for (const key of [done.input.mediaKey, doneOutput, running.input.mediaKey, orphanUpload, orphanOutput]) expect(await exists(key)).toBe(true);

    // A month on, with retention 0 (keep forever): jobs stay; orphans past their grace period go.
    r = await sweep({ asOf: later(31), days: 0, failedDays: 0 });
    expect(r.expiredJobs).toEqual([]);
    expect(r.orphanFolders.sort()).toEqual([orphanUpload.replace(/[^/]+$/, ''), orphanOutput.replace(/[^/]+$/, '')].sort());
    expect(await exists(orphanUpload)).toBe(false);
    expect(await exists(orphanOutput)).toBe(false);
    expect(r.incompleteWrites).toBe(1);
    await partial.abort();
    expect(await exists(done.input.mediaKey)).toBe(true);
    expect(await exists(doneOutput)).toBe(true);

    // Eight days on: the cancelled job is past the failed/cancelled retention (7), the finished one is not (30).
    r = await sweep({ asOf: later(8) });
    expect(r.expiredJobs).toEqual([cancelled.jobId]);
    expect(await exists(`jobs/${cancelled.jobId}/partial.bin`)).toBe(false);
    expect(await exists(cancelled.input.mediaKey)).toBe(false);
    expect(await exists(doneOutput)).toBe(true);

    // Thirty-one days on: the finished job goes (upload, output, execution); the running one stays.
    r = await sweep({ asOf: later(31) });
    expect(r.expiredJobs).toContain(done.jobId);
    expect(r.expiredJobs).not.toContain(running.jobId);
    expect(await exists(done.input.mediaKey)).toBe(false);
    expect(await exists(doneOutput)).toBe(false);
    expect(await exists(running.input.mediaKey)).toBe(true);
    expect((await running.handle.describe()).status.name).toBe('RUNNING');
    // The execution is deleted too (the server does it asynchronously: 35-45 s on the dev server).
    await until(
      async () => done.handle.describe().then(() => undefined, (err) => err instanceof WorkflowNotFoundError),
      100_000,
      1000,
    );
    await running.handle.terminate('test over');
  }, 240_000);
});
