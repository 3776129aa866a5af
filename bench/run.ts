/** `npm run bench`: runs the benchmarks, prints tables, writes bench/results/<name>.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchOrchestration } from './orchestration';
import { printTable } from './stats';

async function main() {
  const only = process.argv.slice(2);
  const outDir = path.join(__dirname, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };

  if (!only.length || only.includes('orchestration')) {
    const jobs = Number(process.env.BENCH_JOBS ?? 200);
    const r = await benchOrchestration({ jobs, concurrencies: [1, 8, 32] });
    printTable(
      `Orchestration overhead: enhance-audio of a ${r.clipSeconds} s clip via API+Temporal vs the same steps called directly (direct p50 ${r.direct.p50} ms, p95 ${r.direct.p95} ms)`,
      r.rows,
    );
    const file = path.join(outDir, 'orchestration.json');
    fs.writeFileSync(file, JSON.stringify({ ...r, machine, at: new Date().toISOString() }, null, 2));
    console.log(`\nwrote ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
