/**
 * `npm run bench -- chat`: the RAG side of #12.
 *
 *   - exact search cost: N transcripts x M segments of 384-d unit vectors (random: the cost of exact
 *     scoring does not depend on what the vectors say), ms per query for scoring every vector and
 *     keeping the top 10 (lib/rag/retrieval.ts), and ms to decode the stored vector files
 *     (lib/rag/vector-file.ts) of that many transcripts;
 *   - chat latency: lib/rag/chat-turn.ts (what the chat step runs) on a planted meeting in a local
 *     store, the real all-MiniLM-L6-v2 and the LLM (BENCH_CHAT_MODELS, default the 0.5B and 1.5B),
 *     BENCH_THREADS threads; per question: vectors (made on the first turn, read after), retrieval
 *     (query embedding + scoring) and the LLM, p50 over BENCH_ROUNDS rounds of the question set.
 *     The HTTP + Temporal round trip is on top (bench/orchestration.ts measures it: tens of ms).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { ModelEngines } from '../lib/asr/engines';
import { ModelRegistry } from '../lib/models/registry';
import { createStore } from '../lib/storage';
import { chatTurn } from '../lib/rag/chat-turn';
import type { ChatTurn } from '../lib/rag/chat-documents';
import { transcriptKeyOf, vectorsKey } from '../lib/rag/keys';
import { scoreRows, TopK } from '../lib/rag/retrieval';
import { decodeVectorFile, encodeVectorFile } from '../lib/rag/vector-file';
import { round, summarize } from './stats';

const say = (s: string) => process.stderr.write(`[bench chat] ${s}\n`);

export interface ChatBenchOptions {
  threads: number;
  rounds: number;
  models: string[];
  scales: Array<[number, number]>;
}

const MEETING = [
  'Good morning everyone, thanks for joining the weekly planning call.',
  'First, the website redesign is on track and the new pages go live next month.',
  'Second, we talked about the office move.',
  'The lease for the new Lisbon office will be signed on Friday.',
  'Maria will sign it, and she will bring the keys back on Monday.',
  'The budget for the move is twelve thousand euros, including the movers.',
  'Tomas asked whether the old furniture can be sold; we will decide next week.',
  'Finally, the team dinner is at the Italian restaurant near the station.',
];
/** Questions with what a right answer contains (null: the transcript does not say). */
const QUESTIONS: Array<{ question: string; expect: RegExp | null; followUp?: boolean }> = [
  { question: 'When will the lease for the Lisbon office be signed?', expect: /friday/i },
  { question: 'And who will do it?', expect: /maria/i, followUp: true },
  { question: 'How much is the budget for the move?', expect: /twelve thousand|12,?000/i },
  { question: 'Where is the team dinner?', expect: /italian/i },
  { question: 'How many engineers were hired this year?', expect: null },
];

function randomUnit(dims: number, seed: { s: number }): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) {
    seed.s = (seed.s * 1103515245 + 12345) >>> 0;
    v[i] = seed.s / 2 ** 32 - 0.5;
    n += v[i] * v[i];
  }
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < dims; i++) v[i] *= inv;
  return v;
}

function searchScale(transcripts: number, segments: number) {
  const dims = 384;
  const seed = { s: 42 };
  const files = Array.from({ length: transcripts }, () => {
    const vecs = Array.from({ length: segments }, () => randomUnit(dims, seed));
    return encodeVectorFile({ model: 'bench', dimensions: dims, count: segments, fingerprint: '0', units: vecs.map((_, i) => ({ order: i, start: i, end: i + 1 })), truncated: 0, createdAt: '' }, vecs);
  });
  let t = Date.now();
  const decoded = files.map((f) => decodeVectorFile(f));
  const decodeMs = Date.now() - t;
  const times: number[] = [];
  for (let q = 0; q < 5; q++) {
    const query = randomUnit(dims, seed);
    t = performance.now();
    const best = new TopK<number>(10);
    decoded.forEach((d, i) => {
      const s = scoreRows(d.matrix, dims, [query]);
      for (let r = 0; r < s.length; r++) best.offer(s[r], i);
    });
    best.sorted();
    times.push(performance.now() - t);
  }
  return {
    transcripts,
    segments,
    vectors: transcripts * segments,
    storedMb: round(files.reduce((a, f) => a + f.length, 0) / 2 ** 20, 1),
    scoreMsP50: round(summarize(times).p50, 1),
    decodeMs,
  };
}

export async function benchChat(opts: ChatBenchOptions) {
  const scale = opts.scales.map(([n, m]) => {
    say(`exact search over ${n} x ${m}`);
    return searchScale(n, m);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chat-'));
  const rows: Array<Record<string, string | number>> = [];
  const answers: Array<{ model: string; question: string; answer: string; ok: boolean }> = [];
  try {
    for (const model of opts.models) {
      const config = loadConfig({ VOXFLOW_DATA_DIR: dir, VOXFLOW_LLM_MODEL: model, VOXFLOW_LLM_THREADS: String(opts.threads), VOXFLOW_INFERENCE_THREADS: String(opts.threads), LOG_LEVEL: 'warn' });
      const store = createStore(config);
      await store.init();
      const engines = new ModelEngines(new ModelRegistry(config.modelsDir), config, createLogger(config, 'bench'));
      const transcriptId = `job_${'0'.repeat(31)}1`;
      const segments = MEETING.map((text, i) => ({ start: i * 6, end: i * 6 + 5.5, text, confidence: 0.9, words: [] }));
      await store.put(transcriptKeyOf(transcriptId), JSON.stringify({ text: MEETING.join(' '), language: 'en', duration: 48, segments, speakers: [], model: 'base' }));
      const total: number[] = [];
      const llm: number[] = [];
      const retrieve: number[] = [];
      let firstVectorsMs = 0;
      let correct = 0;
      for (let r = 0; r < opts.rounds; r++) {
        await store.delete(vectorsKey(transcriptId)); // each round's first turn makes the vectors (first use)
        let history: ChatTurn[] = [];
        for (const [i, q] of QUESTIONS.entries()) {
          if (!q.followUp) history = [];
          const t = Date.now();
          const out = await chatTurn(
            { store, embedder: () => engines.embedder(), llm: () => engines.llm(), topK: config.rag.topK, minScore: config.rag.minScore },
            { question: q.question, transcriptId, transcriptKey: transcriptKeyOf(transcriptId), history },
          );
          const ms = Date.now() - t;
          if (r === 0 && i === 0) firstVectorsMs = out.timings.vectorsMs; // includes loading MiniLM
          // The first turn of the first round loads the models: not a latency sample.
          if (!(r === 0 && i === 0)) {
            total.push(ms);
            llm.push(out.timings.llmMs);
            retrieve.push(out.timings.retrieveMs);
          }
          const ok = q.expect ? out.doc.found && q.expect.test(out.doc.answer) : !out.doc.found;
          if (r === 0) {
            answers.push({ model, question: q.question, answer: out.doc.answer, ok });
            if (ok) correct++;
          }
          history = [...history, { question: q.question, answer: out.doc.answer }];
          say(`${model} ${q.question} -> ${out.doc.answer} (${ms} ms)`);
        }
      }
      rows.push({
        model,
        threads: opts.threads,
        turns: total.length,
        'p50 ms': summarize(total).p50,
        'p95 ms': summarize(total).p95,
        'llm p50 ms': summarize(llm).p50,
        'retrieval p50 ms': summarize(retrieve).p50,
        'first vectors ms': firstVectorsMs,
        correct: `${correct}/${QUESTIONS.length}`,
        load1m: round(os.loadavg()[0], 2),
      });
      await engines.release();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    config: opts,
    tables: {
      scale: scale.map((s) => ({ transcripts: s.transcripts, 'segments each': s.segments, vectors: s.vectors, 'stored MB': s.storedMb, 'score+top10 ms p50': s.scoreMsP50, 'decode all ms': s.decodeMs })),
      chat: rows,
    },
    answers,
  };
}
