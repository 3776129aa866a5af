/**
 * `npm run scale-out`: the cluster shape on one machine, under load, with a gpu worker killed.
 *
 * One Temporal server, MinIO and PostgreSQL (the ones given, e.g. the test run's, or its own), and
 * as separate OS processes the API, one control worker and N gpu workers (scripts/scale-out/cluster.ts).
 * Load: `jobs` recipe jobs (text → translate into Catalan with Apertium; every 20th text is long
 * enough to cost 2 credits) through POST /v1/jobs, `concurrency` at a time. Optionally, once
 * `killAfter` jobs have completed, one gpu worker is killed with SIGKILL: the steps it was running
 * time out on their heartbeat (60 s for text steps, workflows/text-activities.ts) and are retried
 * on the other. Then every job must have succeeded, none be lost, and each be charged exactly its
 * contract price once (scripts/scale-out/verify.ts). Exit 1 when any check fails.
 *
 *   npm run scale-out -- [--jobs 200] [--concurrency 32] [--gpu-workers 2] [--gpu-concurrency N] [--no-kill]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { loadConfig } from '../../lib/config';
import { createStore } from '../../lib/storage';
import { openDatabase } from '../../lib/db';
import { accountServices } from '../../lib/accounts';
import { textCredits } from '../../workflows/pricing';
import { textUnits } from '../../lib/embeddings/text-units';
import { freePort } from '../../test/setup/services';
import { startOwnServices } from './own-services';
import { summarize, round } from '../../bench/stats';
import { startCluster, type SharedServices } from './cluster';
import { runLoad, type LoadJob, type LoadResult } from './load';
import { checkCharges, retriedJobs, type ChargeCheck, type RetriedJob } from './verify';

/** mixed: the test's load (above); embed: one short one-step embed job each (the orchestration bench). */
export type ScaleOutMix = 'mixed' | 'embed';

export interface ScaleOutOptions {
  jobs?: number;
  mix?: ScaleOutMix;
  concurrency?: number;
  gpuWorkers?: number;
  /** VOXFLOW_GPU_CONCURRENCY per gpu worker; undefined: the hardware default. */
  gpuConcurrency?: number;
  /** Kill -9 the first gpu worker once this many jobs completed; undefined: no kill. */
  killAfter?: number;
  /** Shared services to use (the test run's); undefined: start a Temporal dev server, MinIO and PostgreSQL here. */
  services?: { temporalAddress: string; minioPort: number; postgresUrl: string };
  /** Where logs and data go; default a fresh temp dir (removed after a run whose checks pass). */
  dir?: string;
  log?: (line: string) => void;
}

export interface ScaleOutReport {
  config: { jobs: number; concurrency: number; gpuWorkers: number; gpuConcurrency: number | 'hardware default'; gpuSlots: number[]; recipe: unknown; cpus: number };
  startupMs: number;
  succeeded: number;
  failed: Array<{ index: number; id?: string; httpStatus: number; status?: string; error?: string }>;
  /** Jobs without any answer (no id) after every resend. */
  lost: number;
  resends: number;
  wallS: number;
  jobsPerS: number;
  latencyMs: { p50: number; p95: number; mean: number };
  engines: string[];
  charges: ChargeCheck;
  kill?: { pid: number; identity: string; survivor: string; atCompleted: number; atS: number; retried: RetriedJob[]; lastRetriedDoneS?: number };
  problems: string[];
  dir: string;
  /** Each job's id and latency (ms), in submission order. */
  perJob: Array<{ id?: string; ms: number }>;
}

const SENTENCES = [
  'Please send the budget report to the finance team by Friday.',
  'The meeting with the new clients starts at ten in the morning.',
  'We need two more people for the project in the spring.',
  'Can you check the prices of the new office chairs?',
  'The train to the city leaves every hour from the main station.',
];

/** Translation into Catalan runs on Apertium on every installation (the engine served for en→ca with either LLM). */
export const RECIPES = {
  embed: [{ step: 'embed' }],
  translateEmbed: [{ step: 'translate', target: 'ca' }, { step: 'embed' }],
};

const codePoints = (s: string) => [...s].length;

/**
 * The load's jobs, with what each must cost by the contract (1 credit per started 4,000
 * characters a text step reads): every 4th translates into Catalan (Apertium, a child process per
 * call) and then embeds, the others only embed (MiniLM in the gpu worker); every 20th text is over
 * 4,000 characters, so its steps cost 2 credits each.
 */
export function scaleOutJobs(n: number, mix: ScaleOutMix = 'mixed'): Array<LoadJob & { prices: Record<string, number> }> {
  return Array.from({ length: n }, (_, i) => {
    const base = `Job ${i + 1}. ${SENTENCES[i % SENTENCES.length]}`;
    const long = mix === 'mixed' && i % 20 === 19;
    const text = long ? Array.from({ length: 70 }, (_, k) => `${SENTENCES[(i + k) % SENTENCES.length]}`).join(' ') : base;
    const translate = mix === 'mixed' && i % 4 === 0;
    const embedChars = textUnits(text).reduce((a, u) => a + codePoints(u), 0);
    const prices: Record<string, number> = { ...(translate ? { translate: textCredits(codePoints(text)) } : {}), embed: textCredits(embedChars) };
    return { index: i, prices, body: { text, steps: translate ? RECIPES.translateEmbed : RECIPES.embed } };
  });
}

export async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return baseUrl.replace(/\/[^/]*$/, `/${name}`);
}

export async function runScaleOut(o: ScaleOutOptions = {}): Promise<ScaleOutReport> {
  const jobsN = o.jobs ?? 200;
  const concurrency = o.concurrency ?? 32;
  const gpuWorkers = o.gpuWorkers ?? 2;
  const log = o.log ?? ((l: string) => console.error(`[scale-out] ${l}`));
  const id = crypto.randomUUID().replace(/-/g, '').slice(0, 10);
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-scale-out-'));
  const t0 = Date.now();

  const owned: Array<{ stop(): Promise<void> }> = [];
  let services = o.services;
  if (!services) {
    log('starting a Temporal dev server, MinIO and PostgreSQL');
    const own = await startOwnServices(dir);
    owned.push(own);
    services = own.addresses;
  }
  const shared: SharedServices = {
    temporalAddress: services.temporalAddress,
    minioPort: services.minioPort,
    minioBucket: `scale-${id}`,
    databaseUrl: await freshDatabase(services.postgresUrl, `scale_${id}`),
  };
  // The bucket and the schema exist before any process starts (they would race to create them).
  await createStore(loadConfig({ VOXFLOW_STORAGE: 'minio', MINIO_PORT: String(shared.minioPort), MINIO_BUCKET: shared.minioBucket })).init();
  const db = await openDatabase(shared.databaseUrl);
  const { ledger, keys } = accountServices(db);
  const account = await ledger.createAccount({ tenant: `scale-${id}`, plan: 'paid', credits: 100_000 });
  const { key } = await keys.create(account.id, 'scale-out');
  const balanceBefore = await ledger.balance(account.id);

  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  const connection = await Connection.connect({ address: shared.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const problems: string[] = [];
  try {
    log(`starting the API, 1 control and ${gpuWorkers} gpu worker processes`);
    cluster = await startCluster({
      services: shared,
      dir,
      gpuWorkers,
      queues: { control: `scale-control-${id}`, gpu: `scale-gpu-${id}` },
      apiPort: await freePort(),
      gpuConcurrency: o.gpuConcurrency,
      // Every job of the load is in flight at once for this one tenant.
      env: { VOXFLOW_PAID_CONCURRENT: String(Math.max(concurrency * 2, 64)) },
    });
    const startupMs = Date.now() - t0;
    log(`cluster up in ${round(startupMs / 1000)} s; ${jobsN} jobs at concurrency ${concurrency}`);

    const jobs = scaleOutJobs(jobsN, o.mix);
    const victim = o.killAfter !== undefined && gpuWorkers > 1 ? cluster.gpu[0] : undefined;
    let kill: ScaleOutReport['kill'];
    const loadStart = Date.now();
    const { results, wallMs } = await runLoad({
      baseUrl: cluster.baseUrl,
      apiKey: key,
      jobs,
      concurrency,
      runId: `scale-${id}`,
      onProgress(done) {
        if (victim && !kill && done >= o.killAfter!) {
          process.kill(victim.pid, 'SIGKILL');
          kill = { pid: victim.pid, identity: cluster!.identity(victim), survivor: cluster!.identity(cluster!.gpu[1]), atCompleted: done, atS: round((Date.now() - loadStart) / 1000), retried: [] };
          log(`kill -9 ${victim.name} (pid ${victim.pid}) after ${done} jobs`);
        }
        if (done % 50 === 0) log(`${done}/${jobsN} done`);
      },
    });

    const ok = results.filter((r) => r.httpStatus === 200 && r.status === 'succeeded');
    const failed = results.filter((r) => !ok.includes(r)).map(({ index, id: jid, httpStatus, status, error }) => ({ index, id: jid, httpStatus, status, error }));
    const lost = results.filter((r) => !r.id).length + (jobsN - results.length);
    const lat = summarize(results.map((r) => r.ms));
    // The translation engine that ran (the embed step's model is the VoxflowModel search attribute).
    const engines = [...new Set(ok.flatMap((r) => r.view?.result?.text?.model ?? []))];
    const charges = await checkCharges(ledger, account.id, balanceBefore, results.map((r) => ({ id: r.id, prices: jobs[r.index].prices })));
    if (kill) {
      kill.retried = await retriedJobs(client, results, ['translate', 'embed']);
      const doneAt = (r: LoadResult) => r.ms; // per job from its own start; the retried ones end last
      if (kill.retried.length) kill.lastRetriedDoneS = round(Math.max(...results.filter((r) => kill!.retried.some((x) => x.id === r.id)).map(doneAt)) / 1000);
    }

    if (ok.length !== jobsN) problems.push(`${jobsN - ok.length} of ${jobsN} jobs did not succeed: ${JSON.stringify(failed.slice(0, 3))}`);
    if (lost) problems.push(`${lost} jobs lost (no job id answered)`);
    if (charges.wrongEntries.length) problems.push(`${charges.wrongEntries.length} jobs with wrong ledger entries: ${JSON.stringify(charges.wrongEntries.slice(0, 3))}`);
    if (charges.charged !== charges.expectedCredits) problems.push(`charged ${charges.charged} credits, the contract price of the jobs is ${charges.expectedCredits}`);
    if (charges.auditMismatch) problems.push('the balance differs from the one rebuilt from the ledger');
    if (kill) {
      if (!kill.retried.length) problems.push('no job was retried after the kill: the killed worker held no step in flight');
      const elsewhere = kill.retried.filter((r) => r.finishedBy !== kill!.survivor);
      if (elsewhere.length) problems.push(`retried steps not finished by the surviving gpu worker: ${JSON.stringify(elsewhere)}`);
    }

    return {
      config: { jobs: jobsN, concurrency, gpuWorkers, gpuConcurrency: o.gpuConcurrency ?? 'hardware default', gpuSlots: cluster.gpuSlots, recipe: o.mix === 'embed' ? RECIPES.embed : RECIPES, cpus: os.availableParallelism() },
      startupMs,
      succeeded: ok.length,
      failed,
      lost,
      resends: results.reduce((a, r) => a + r.resends, 0),
      wallS: round(wallMs / 1000, 2),
      jobsPerS: round(results.length / (wallMs / 1000), 2),
      latencyMs: { p50: round(lat.p50), p95: round(lat.p95), mean: round(lat.mean) },
      engines,
      charges: { ...charges, wrongEntries: charges.wrongEntries.slice(0, 5) },
      ...(kill ? { kill } : {}),
      problems,
      dir,
      perJob: results.map((r) => ({ id: r.id, ms: round(r.ms) })),
    };
  } finally {
    await cluster?.stop();
    await connection.close();
    await db.close();
    for (const s of owned.reverse()) await s.stop().catch(() => undefined);
    if (!o.dir && !problems.length) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const jobs = Number(arg('jobs') ?? 200);
  runScaleOut({
    jobs,
    concurrency: Number(arg('concurrency') ?? 32),
    gpuWorkers: Number(arg('gpu-workers') ?? 2),
    gpuConcurrency: arg('gpu-concurrency') ? Number(arg('gpu-concurrency')) : undefined,
    killAfter: process.argv.includes('--no-kill') ? undefined : Math.floor(jobs / 4),
  }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(r.problems.length ? 1 : 0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
