/**
 * Orchestration overhead: API submit → workflow → activities → result → response, for a trivial
 * real job (enhance-audio of a 1 s clip), against the peer "call the same step functions directly
 * in one process" on the same machine in the same run. overhead = e2e p50 − direct p50.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../lib/config';
import { createStore } from '../lib/storage';
import { enhanceToWav, probeMedia } from '../lib/audio';
import { ensureTemporalCli, startDevServer } from '../temporal/dev-server';
import { startApi } from '../api/server';
import { freePort } from '../test/setup/services';
import { spawnWorker } from '../test/helpers/worker-process';
import { round, summarize } from './stats';
import { openDatabase } from '../lib/db';
import { accountServices } from '../lib/accounts';

export interface OrchestrationOptions {
  jobs: number;
  concurrencies: number[];
}

export async function benchOrchestration(opts: OrchestrationOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-bench-'));
  const clip = path.join(dir, 'clip.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=16000', '-ac', '1', clip]);
  const clipBytes = fs.readFileSync(clip);

  const port = await freePort();
  const server = await startDevServer({
    cli: ensureTemporalCli(),
    port,
    namespace: 'default',
    headless: true,
    dbFile: path.join(dir, 'temporal.sqlite'),
    logFile: path.join(dir, 'temporal.log'),
  });
  const config = loadConfig({
    VOXFLOW_DATA_DIR: dir,
    TEMPORAL_ADDRESS: server.address,
    VOXFLOW_PORT: String(await freePort()),
    VOXFLOW_HOST: '127.0.0.1',
    VOXFLOW_GPU_CONCURRENCY: '4',
    VOXFLOW_PAID_CONCURRENT: '64',
    LOG_LEVEL: 'warn',
  });
  // A paid account: every job goes through auth, admission and per-step credits, as in production.
  const db = await openDatabase(config.databaseUrl);
  const { ledger, keys } = accountServices(db);
  const account = await ledger.createAccount({ tenant: 'bench', plan: 'paid', credits: 1_000_000 });
  const { key } = await keys.create(account.id, 'bench');
  await db.close();
  const worker = spawnWorker(config, 'all', 'bench-worker.log');
  await worker.ready;
  const api = await startApi(config);
  const base = `http://127.0.0.1:${config.http.port}`;

  const submit = async () => {
    const fd = new FormData();
    fd.append('file', new Blob([clipBytes]), 'clip.wav');
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/enhance-audio`, { method: 'POST', body: fd, headers: { Authorization: `Bearer ${key}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`job failed: HTTP ${res.status}`);
    return performance.now() - t0;
  };

  try {
    // Warm-up: workflow cache, sticky queues, ffmpeg page cache.
    for (let i = 0; i < 10; i++) await submit();

    // Peer: the same steps called directly (probe, enhance, store the output), no Temporal, no HTTP.
    const store = createStore(config);
    await store.init();
    const direct: number[] = [];
    for (let i = 0; i < Math.min(opts.jobs, 100); i++) {
      const t0 = performance.now();
      await store.put(`bench/direct-${i}.wav`, clipBytes);
      const media = await store.withLocalFile(`bench/direct-${i}.wav`, (f) => probeMedia(config.media, f));
      const out = path.join(dir, `direct-${i}-out.wav`);
      await store.withLocalFile(`bench/direct-${i}.wav`, (f) => enhanceToWav(f, out, { ffmpeg: config.media.ffmpeg, durationSeconds: media.duration }));
      await store.put(`bench/direct-${i}-out.wav`, fs.createReadStream(out));
      direct.push(performance.now() - t0);
    }
    const directStats = summarize(direct);

    const rows = [];
    for (const c of opts.concurrencies) {
      const latencies: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          while (next < opts.jobs) {
            next++;
            latencies.push(await submit());
          }
        }),
      );
      const wall = (performance.now() - t0) / 1000;
      const s = summarize(latencies);
      rows.push({
        concurrency: c,
        jobs: latencies.length,
        p50_ms: round(s.p50),
        p95_ms: round(s.p95),
        jobs_per_s: round(latencies.length / wall, 2),
        direct_p50_ms: round(directStats.p50),
        overhead_p50_ms: round(s.p50 - directStats.p50),
        ratio_vs_direct: round(s.p50 / directStats.p50, 2),
      });
    }
    return { name: 'orchestration', clipSeconds: 1, direct: { ...directStats, p50: round(directStats.p50), p95: round(directStats.p95) }, rows };
  } finally {
    await api.close();
    worker.child.kill('SIGTERM');
    await worker.exited;
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
