/**
 * `npm run bench -- embed`: voxflow's sentence embedder (lib/embeddings/minilm.ts, onnxruntime-node)
 * beside sentence-transformers (PyTorch CPU, the reference of test/embeddings/reference.test.ts) on the
 * same machine, the same threads (BENCH_THREADS, default 2: intraOpNumThreads / torch.set_num_threads),
 * the same internal batch size (32) and the very same texts: batches of 1, 32 and 256 drawn in order
 * from the 62 fixture sentences (short to over 256 word pieces). Per batch size, BENCH_ROUNDS rounds
 * (default 5) of one embed()/encode() call each after a warm-up; p50 latency and sentences/s
 * (batch / p50). The machine is shared: the load average is recorded beside each side.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OnnxTextEmbedder } from '../lib/embeddings/minilm';
import { ModelRegistry } from '../lib/models/registry';
import { loadConfig } from '../lib/config';
import { percentile, round } from './stats';

export interface EmbedBenchOptions {
  threads: number;
  rounds: number;
  batchSizes: number[];
}

interface Side {
  name: string;
  version: string;
  load: { before: number[]; after: number[] };
  /** cpu_ms: the process's CPU time per call (all its threads): steadier than wall time on a loaded machine. */
  results: Array<{ batch: number; latencies_ms: number[]; cpu_ms: number[] }>;
}

const root = path.join(__dirname, '..');
const load = () => os.loadavg().map((x) => round(x, 2));
/** Round r of batch size b: b texts from position r·b on, wrapping (both sides build the same ones). */
const batchOf = (texts: string[], b: number, r: number) => Array.from({ length: b }, (_, i) => texts[(r * b + i) % texts.length]);

async function ours(texts: string[], o: EmbedBenchOptions): Promise<Side> {
  const dir = new ModelRegistry(loadConfig().modelsDir).embeddingDir();
  const embedder = await OnnxTextEmbedder.load(dir, { intraOpNumThreads: o.threads, batchSize: 32 });
  const before = load();
  try {
    await embedder.embed(texts.slice(0, 32)); // warm-up
    const results = [];
    for (const b of o.batchSizes) {
      const latencies_ms: number[] = [];
      const cpu_ms: number[] = [];
      for (let r = 0; r < o.rounds; r++) {
        const batch = batchOf(texts, b, r);
        const [t0, c0] = [performance.now(), process.cpuUsage()];
        await embedder.embed(batch);
        latencies_ms.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu_ms.push((c.user + c.system) / 1000);
      }
      results.push({ batch: b, latencies_ms, cpu_ms });
    }
    const ort = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/onnxruntime-node/package.json'), 'utf8')).version;
    return { name: 'voxflow (onnxruntime-node)', version: `onnxruntime-node ${ort}`, load: { before, after: load() }, results };
  } finally {
    await embedder.release();
  }
}

function peer(texts: string[], o: EmbedBenchOptions): Side {
  const python = execFileSync('bash', [path.join(root, 'scripts/bench/install-sentence-transformers.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const before = load();
  const out = JSON.parse(
    execFileSync(python, [path.join(root, 'scripts/bench/sentence_transformers_embed.py')], {
      input: JSON.stringify({ mode: 'bench', texts, threads: o.threads, batch_sizes: o.batchSizes, rounds: o.rounds }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  ) as { torch: string; sentence_transformers: string; threads: number; results: Side['results'] };
  if (out.threads !== o.threads) throw new Error(`torch ran ${out.threads} threads, not ${o.threads}`);
  return { name: 'sentence-transformers (PyTorch CPU)', version: `sentence-transformers ${out.sentence_transformers}, torch ${out.torch}`, load: { before, after: load() }, results: out.results };
}

export async function benchEmbed(o: EmbedBenchOptions) {
  const { sentences } = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/embeddings/sentences.json'), 'utf8')) as { sentences: string[] };
  const a = await ours(sentences, o);
  const b = peer(sentences, o);
  const p50 = (s: Side, batch: number, what: 'latencies_ms' | 'cpu_ms' = 'latencies_ms') =>
    percentile([...s.results.find((r) => r.batch === batch)![what]].sort((x, y) => x - y), 50);
  const rows = o.batchSizes.map((batch) => {
    const [mine, theirs] = [p50(a, batch), p50(b, batch)];
    const [mineCpu, theirsCpu] = [p50(a, batch, 'cpu_ms'), p50(b, batch, 'cpu_ms')];
    return {
      batch,
      'voxflow p50 ms': round(mine),
      'st p50 ms': round(theirs),
      'voxflow sent/s': round((batch * 1000) / mine),
      'st sent/s': round((batch * 1000) / theirs),
      'ratio (voxflow/st)': round(theirs / mine, 2),
      'voxflow cpu ms/sent': round(mineCpu / batch, 2),
      'st cpu ms/sent': round(theirsCpu / batch, 2),
      'cpu ratio': round(theirsCpu / mineCpu, 2),
    };
  });
  return { config: { ...o, texts: sentences.length, innerBatch: 32 }, sides: [a, b], tables: { speed: rows } };
}
