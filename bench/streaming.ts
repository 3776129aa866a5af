/**
 * `npm run bench -- streaming`: WS /v1/stream latency and capacity with Whisper base on this machine.
 * An in-process API server (attachStreaming, the real engine threads; no Temporal, so finished
 * streams are not stored) and N clients streaming a real recording at real time, concurrently.
 *  - word end → first partial: the audio time a word ends (from the final text's word times) to the
 *    first `partial` message holding it (stable words; the unstable tail measured apart);
 *  - utterance end → text: the audio end of each final segment to its `text` message;
 * wall times are taken at the client when the frame carrying that audio was sent.
 * BENCH_STREAM_CONCURRENCY (default 1,2,4), BENCH_STREAM_THREADS (engine threads, default 2: one per core).
 * The peer (bench/streaming-peer.ts: whisper_streaming's LocalAgreement-2 on faster-whisper, same
 * weights) runs the same N streams right after ours, measured against our final word times;
 * BENCH_STREAM_PEER=0 skips it, BENCH_STREAM_PEER_COMPUTE (int8) / BENCH_STREAM_PEER_BEAM (5) set it up.
 */
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { openDatabase } from '../lib/db';
import { accountServices } from '../lib/accounts';
import { ModelRegistry } from '../lib/models/registry';
import { createStore } from '../lib/storage';
import { attachStreaming } from '../api/stream/attach';
import { StreamClient, pcmOf } from '../test/stream/stream-client';
import { normalizeWords } from '../test/helpers/wer';
import { jfk } from '../test/helpers/models';
import { percentile } from './stats';
import { peerInstalled, runPeers, type RefUtterance } from './streaming-peer';
import { streamModelDir } from '../lib/streaming/stream-model';

interface Run {
  partialMs: number[];
  unstableMs: number[];
  finalMs: number[];
  behind: number;
  /** Words of the finals, and how many of them a stable partial showed first (a cheaper partial decoder may miss some). */
  words: number;
}

function measure(c: StreamClient): Run {
  const sentAt = (audioS: number) => c.sent.find((s) => s.audioEnd >= audioS)?.at ?? c.sent.at(-1)!.at;
  const texts = c.messages.filter((m) => typeof m.msg.text === 'string');
  const finalMs = texts.map((m) => m.at - sentAt(m.msg.end as number));
  const partialMs: number[] = [];
  const unstableMs: number[] = [];
  let words = 0;
  let from = 0; // partials of one utterance come before its text
  for (const t of texts) {
    const idx = c.messages.indexOf(t);
    const partials = c.messages.slice(from, idx).filter((m) => typeof m.msg.partial === 'string');
    for (const w of (t.msg.words as Array<{ word: string; end: number }>) ?? []) {
      const word = normalizeWords(w.word)[0];
      if (!word) continue;
      words++;
      const wordEnd = sentAt(w.end);
      const stable = partials.find((p) => p.at >= wordEnd && normalizeWords(p.msg.partial as string).includes(word));
      const any = partials.find((p) => p.at >= wordEnd && normalizeWords(`${p.msg.partial} ${p.msg.unstable ?? ''}`).includes(word));
      if (stable) partialMs.push(stable.at - wordEnd);
      if (any) unstableMs.push(any.at - wordEnd);
    }
    from = idx + 1;
  }
  return { partialMs, unstableMs, finalMs, behind: c.messages.filter((m) => m.msg.status === 'behind').length, words };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? { p50: Math.round(percentile(s, 50)), p95: Math.round(percentile(s, 95)) } : { p50: NaN, p95: NaN };
};

export async function benchStreaming(opts: { concurrency: number[]; threads: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vx-stream-bench-'));
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', VOXFLOW_DATA_DIR: dataDir, VOXFLOW_STREAM_THREADS: String(opts.threads), VOXFLOW_PAID_CONCURRENT: '64' });
  const db = await openDatabase(config.databaseUrl);
  const store = createStore(config);
  await store.init();
  const accounts = accountServices(db);
  const account = await accounts.ledger.createAccount({ tenant: 'bench', plan: 'paid', credits: 10_000 });
  const { key } = await accounts.keys.create(account.id, 'bench');
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const server = http.createServer((_, res) => res.end());
  const streaming = attachStreaming(server, { api: { accounts, tiers: config.tiers, store, temporal, models: new ModelRegistry(config.modelsDir) }, config, log: pino({ level: 'warn' }), saveTranscripts: false });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/v1/stream?token=${key}`;
  const pcm = pcmOf([jfk().wav], 1.5);
  const session = async () => {
    const c = new StreamClient(url);
    await c.opened();
    c.json({ language: 'en', model: 'base' });
    await c.next((m) => m.status === 'ready', 300_000);
    await c.stream(pcm, { speed: 1 });
    c.json({ action: 'stop' });
    await c.closed;
    return c;
  };
  const one = async () => measure(await session());
  // Warm every engine thread (model load: a thread first used in the 2-stream row loaded its model while
  // the other stream ran, and that row measured the load); the first's final words are the reference
  // times the peer is measured against.
  const [warm] = await Promise.all(Array.from({ length: opts.threads }, session));
  const ref: RefUtterance[] = warm.messages
    .filter((m) => typeof m.msg.text === 'string')
    .map((m) => ({ end: m.msg.end as number, words: (m.msg.words as Array<{ word: string; end: number }>).map((w) => ({ word: w.word, end: w.end })) }));
  const peer = process.env.BENCH_STREAM_PEER !== '0' && peerInstalled();
  const peerOpts = { computeType: process.env.BENCH_STREAM_PEER_COMPUTE ?? 'int8', beamSize: Number(process.env.BENCH_STREAM_PEER_BEAM ?? 5) };
  const rows: Array<Record<string, string | number>> = [];
  for (const n of opts.concurrency) {
    const load = os.loadavg()[0];
    const runs = await Promise.all(Array.from({ length: n }, one));
    const all = (k: keyof Omit<Run, 'behind' | 'words'>) => runs.flatMap((r) => r[k]);
    const p = stats(all('partialMs'));
    const u = stats(all('unstableMs'));
    const f = stats(all('finalMs'));
    const peerRuns = peer ? await runPeers(pcm, ref, n, peerOpts) : [];
    const pp = stats(peerRuns.flatMap((r) => r.partialMs));
    const pf = stats(peerRuns.flatMap((r) => r.finalMs));
    const ratio = (peerMs: number, ours: number) => (peer && ours > 0 ? (peerMs / ours).toFixed(2) : '-');
    rows.push({
      streams: n,
      'word→partial p50 ms': p.p50,
      'p95': p.p95,
      'word→unstable p50 ms': u.p50,
      'p95 ': u.p95,
      'utterance→text p50 ms': f.p50,
      ' p95': f.p95,
      behind: runs.reduce((a, r) => a + r.behind, 0),
      'words in a stable partial': `${all('partialMs').length}/${runs.reduce((a, r) => a + r.words, 0)}`,
      'peer word→commit p50 ms': peer ? pp.p50 : '-',
      'p95  ': peer ? pp.p95 : '-',
      'peer utterance→commit p50 ms': peer ? pf.p50 : '-',
      '  p95': peer ? pf.p95 : '-',
      'peer/ours partial': ratio(pp.p50, p.p50),
      'peer/ours final': ratio(pf.p50, f.p50),
      'peer missed words': peer ? peerRuns.reduce((a, r) => a + r.missed, 0) : '-',
      'load avg': load.toFixed(1),
    });
  }
  // The API process's RSS with every engine thread's models loaded (a partial decoder other than the finals' is a second model per thread).
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  await streaming.close();
  server.close();
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    rows,
    config: {
      threads: opts.threads,
      partialIntervalMs: config.stream.partialIntervalMs,
      partialDecoder: config.stream.partialDecoder,
      finalDecoder: config.inference.whisperDecoder,
      rssMb,
      endpointSilenceMs: config.stream.endpointSilenceMs,
      recording: 'jfk.wav (11 s) + 1.5 s silence',
      model: streamModelDir(config.modelsDir, 'base'),
      peer: peer ? `whisper_streaming policy (LocalAgreement-2, min chunk 1 s) on faster-whisper 1.2.1, ${peerOpts.computeType}, beam ${peerOpts.beamSize}` : 'not run (BENCH_STREAM_PEER=0 or scripts/models/install-faster-whisper.sh not run)',
    },
  };
}
