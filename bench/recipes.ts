/**
 * `npm run bench -- recipes`: recipe jobs on the cluster shape (scripts/scale-out/run.ts: the API,
 * one control worker and 1 or 2 gpu worker processes; Temporal dev server on a persistent SQLite
 * file in WAL mode as in production (temporal/dev-server.ts), MinIO, PostgreSQL).
 *
 * 1. Throughput and p50/p95 latency of `jobs` one-step embed jobs (POST /v1/jobs, text → MiniLM
 *    vectors) at `concurrency`, with 1 and with 2 gpu worker processes.
 * 2. Orchestration overhead per job: the same jobs one at a time through the API and Temporal,
 *    against the same activities called directly in this process in the same order (store the
 *    text, claim the slot, reserve, split into units, embed, settle, release) on the same MinIO and
 *    PostgreSQL. overhead = e2e p50 − direct p50; the job's history says where the difference goes.
 *    e2e is the client's time of one synchronous POST /v1/jobs (its answer is the finished job's
 *    view, so no polling interval enters): HTTP, key lookup, admission, storing the text, starting
 *    the workflow, the workflow, and the view. The API logs its part before the start per job.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { createStore } from '../lib/storage';
import { openDatabase } from '../lib/db';
import { Ledger } from '../lib/ledger/ledger';
import { Limits } from '../lib/accounts/limits';
import { ModelEngines } from '../lib/asr/engines';
import { ModelRegistry } from '../lib/models/registry';
import { createControlActivities, createGpuActivities } from '../activities';
import { startOwnServices } from '../scripts/scale-out/own-services';
import { freshDatabase, runScaleOut, scaleOutJobs } from '../scripts/scale-out/run';
import { jobTimes, type JobTimes } from './recipe-histories';
import { round, summarize } from './stats';

export interface RecipesBenchOptions {
  jobs: number;
  concurrency: number;
  gpuWorkers: number[];
  /** Jobs one at a time for the overhead measurement (after 5 warm-up jobs). */
  overheadJobs: number;
  /** Which parts to run (BENCH_RECIPES_PARTS): throughput, overhead. */
  parts: Array<'throughput' | 'overhead'>;
}

const WARMUP = 5;
const median = (xs: number[]) => summarize(xs).p50;

export async function benchRecipes(o: RecipesBenchOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-bench-recipes-'));
  const log = (l: string) => console.error(`[bench recipes] ${l}`);
  // Everything started here is stopped in the end.
  const owned: Array<{ stop(): Promise<void> }> = [];
  try {
    const own = await startOwnServices(dir);
    owned.push(own);
    const services = own.addresses;
    const throughput = [];
    for (const n of o.parts.includes('throughput') ? o.gpuWorkers : []) {
      log(`${o.jobs} jobs at concurrency ${o.concurrency}, ${n} gpu worker(s)`);
      const r = await runScaleOut({ jobs: o.jobs, concurrency: o.concurrency, gpuWorkers: n, mix: 'embed', services, log });
      if (r.problems.length) throw new Error(`run with ${n} gpu workers failed its checks: ${r.problems.join('; ')}`);
      throughput.push({
        gpu_workers: n,
        gpu_slots_each: r.config.gpuSlots.join('+'),
        jobs: r.config.jobs,
        concurrency: r.config.concurrency,
        jobs_per_s: r.jobsPerS,
        p50_ms: r.latencyMs.p50,
        p95_ms: r.latencyMs.p95,
        charged_ok: r.charges.charged === r.charges.expectedCredits ? 'yes' : 'NO',
      });
    }

    if (!o.parts.includes('overhead')) return { name: 'recipes', recipe: [{ step: 'embed' }], throughput, load: os.loadavg().map((x) => round(x, 2)) };
    log(`orchestration overhead: ${o.overheadJobs} jobs one at a time, then the same activities called directly`);
    const seqDir = path.join(dir, 'sequential');
    const seq = await runScaleOut({ jobs: o.overheadJobs + WARMUP, concurrency: 1, gpuWorkers: 1, mix: 'embed', services, log, dir: seqDir });
    if (seq.problems.length) throw new Error(`sequential run failed its checks: ${seq.problems.join('; ')}`);
    const measured = seq.perJob.slice(WARMUP);
    const connection = await Connection.connect({ address: services.temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    const times: JobTimes[] = [];
    for (const j of measured) times.push(await jobTimes(client, j.id!));
    await connection.close();
    const direct = await directRuns(services, o.overheadJobs);

    const e2e = summarize(measured.map((j) => j.ms));
    const d = summarize(direct);
    const m = (f: (t: JobTimes) => number) => round(median(times.map(f)));
    const overhead = {
      jobs: measured.length,
      e2e_p50_ms: round(e2e.p50),
      e2e_p95_ms: round(e2e.p95),
      direct_p50_ms: round(d.p50),
      direct_p95_ms: round(d.p95),
      overhead_p50_ms: round(e2e.p50 - d.p50),
      steps_per_job: 1,
      goal_ms: 50,
    };
    // Medians per job, from the histories: where the e2e time goes.
    const submit = submitPhases(path.join(seqDir, 'api.log'), new Set(measured.map((j) => j.id!)));
    const phase = (k: keyof SubmitPhases) => round(median(submit.map((p) => p[k])));
    const breakdown = {
      api_and_client_ms: round(median(measured.map((j, i) => j.ms - times[i].workflowMs))),
      // The API's own log of each submission ('job submitted'): before the workflow starts.
      api_validate_ms: phase('validate'),
      api_admit_ms: phase('admit'),
      api_store_ms: phase('store'),
      api_start_ms: phase('start'),
      workflow_ms: m((t) => t.workflowMs),
      first_task_wait_ms: m((t) => t.firstTaskWaitMs),
      workflow_tasks: m((t) => t.workflowTasks),
      workflow_task_ms: m((t) => t.workflowTaskMs),
      workflow_task_wait_ms: m((t) => t.workflowTaskWaitMs),
      activities: m((t) => t.activities),
      activity_queue_ms: m((t) => t.activityQueueMs),
      activity_run_ms: m((t) => t.activityRunMs),
      local_activities: m((t) => t.localActivities),
    };
    return { name: 'recipes', recipe: [{ step: 'embed' }], throughput, overhead, breakdown, load: os.loadavg().map((x) => round(x, 2)) };
  } finally {
    for (const s of owned.reverse()) await s.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface SubmitPhases {
  validate: number;
  admit: number;
  store: number;
  start: number;
}

/** Where each measured job's submission went before its workflow started, from the API's 'job submitted' log lines. */
function submitPhases(apiLog: string, ids: Set<string>): SubmitPhases[] {
  const out: SubmitPhases[] = [];
  for (const line of fs.readFileSync(apiLog, 'utf8').split('\n')) {
    if (!line.includes('"job submitted"')) continue;
    const l = JSON.parse(line) as { jobId?: string; ms?: SubmitPhases };
    if (l.jobId && ids.has(l.jobId) && l.ms) out.push(l.ms);
  }
  return out;
}

/** The peer: the embed recipe's activities called directly, in the order the API and the workflow call them. */
async function directRuns(services: { minioPort: number; postgresUrl: string }, n: number): Promise<number[]> {
  const id = crypto.randomUUID().replace(/-/g, '').slice(0, 10);
  const config = loadConfig({
    VOXFLOW_STORAGE: 'minio',
    MINIO_PORT: String(services.minioPort),
    MINIO_BUCKET: `direct-${id}`,
    VOXFLOW_DATABASE_URL: await freshDatabase(services.postgresUrl, `direct_${id}`),
    LOG_LEVEL: 'warn',
  });
  const log = createLogger(config, 'bench');
  const store = createStore(config);
  await store.init();
  const db = await openDatabase(config.databaseUrl);
  const ledger = new Ledger(db);
  const limits = new Limits(db);
  const engines = new ModelEngines(new ModelRegistry(config.modelsDir), config, log);
  const deps = { config, store, log, engines, ledger, limits };
  const control = createControlActivities(deps);
  const gpu = createGpuActivities(deps);
  const env = new MockActivityEnvironment();
  const account = await ledger.createAccount({ tenant: `direct-${id}`, plan: 'paid', credits: 100_000 });
  const jobs = scaleOutJobs(n + WARMUP, 'embed');
  const out: number[] = [];
  try {
    for (const job of jobs) {
      const jobId = `job_direct_${id}_${job.index}`;
      const ref = { accountId: account.id, jobId, step: 'embed' };
      const t0 = performance.now();
      const textKey = `uploads/${jobId}/source.txt`;
      await store.put(textKey, String(job.body.text), { contentType: 'text/plain; charset=utf-8' });
      await limits.claimSlot(`direct-${id}`, jobId, 64);
      await control.reserveCredits({ ...ref, amount: job.prices.embed });
      const units = await control.recipeTextUnits({ textKey, outputKey: `jobs/${jobId}/recipe/units.json` });
      await env.run(gpu.embed, { textKey: units.key, outputKey: `jobs/${jobId}/embeddings.json`, includeTexts: true });
      await control.settleCredits({ ...ref, actual: job.prices.embed });
      await control.releaseJobSlot({ jobId });
      if (job.index >= WARMUP) out.push(performance.now() - t0);
    }
  } finally {
    await engines.release();
    await db.close();
  }
  return out;
}
