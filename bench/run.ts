/** `npm run bench`: runs the benchmarks, prints tables, writes bench/results/<name>.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchOrchestration } from './orchestration';
import { benchRecipes } from './recipes';
import { benchTranscription } from './transcription';
import { benchDiarization } from './diarization';
import { LLM_BENCH_MODELS, benchLlm } from './llm';
import { benchTranslation, LLM_CANDIDATES } from './translation';
import { benchEnhance } from './enhance';
import { benchTts } from './tts';
import { benchEmbed } from './embed';
import { benchChat } from './chat';
import { benchStreaming } from './streaming';
import { printTable } from './stats';
import { runWorker } from './worker-io';

const BENCHMARKS = ['orchestration', 'recipes', 'transcription', 'diarization', 'llm', 'translation', 'enhance', 'tts', 'embed', 'chat', 'streaming'];

/** Model benchmarks (transcription, diarization) share these knobs. */
const modelBenchOptions = () => ({
  threads: Number(process.env.BENCH_THREADS ?? 2),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  longMinutes: Number(process.env.BENCH_LONG_MINUTES ?? 30),
  longPeer: process.env.BENCH_LONG_PEER !== '0',
});

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !BENCHMARKS.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${BENCHMARKS.join(', ')})`);
  const outDir = path.join(__dirname, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  const save = (name: string, r: object, measured: object = {}) => {
    const file = path.join(outDir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...r, machine: { ...machine, ...measured }, at: new Date().toISOString() }, null, 2));
    console.log(`\nwrote ${file}`);
  };

  if (!only.length || only.includes('orchestration')) {
    const jobs = Number(process.env.BENCH_JOBS ?? 200);
    const r = await benchOrchestration({ jobs, concurrencies: [1, 8, 32] });
    printTable(
      `Orchestration overhead: enhance-audio of a ${r.clipSeconds} s clip via API+Temporal vs the same steps called directly (direct p50 ${r.direct.p50} ms, p95 ${r.direct.p95} ms)`,
      r.rows,
    );
    save('orchestration', r);
  }

  if (!only.length || only.includes('recipes')) {
    const r = await benchRecipes({
      jobs: Number(process.env.BENCH_JOBS ?? 200),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
      gpuWorkers: [1, 2],
      overheadJobs: Number(process.env.BENCH_OVERHEAD_JOBS ?? 30),
      parts: (process.env.BENCH_RECIPES_PARTS ?? 'throughput,overhead').split(',') as Array<'throughput' | 'overhead'>,
    });
    if (r.throughput.length) printTable('Recipe jobs (text → embed, MiniLM) through POST /v1/jobs on the cluster shape: API, 1 control worker, N gpu worker processes, MinIO, PostgreSQL', r.throughput);
    if ('overhead' in r && r.overhead && r.breakdown) {
      printTable('Orchestration overhead per one-step job, one at a time: API + Temporal vs the same activities called directly in one process', [r.overhead]);
      printTable('Where the e2e time goes (medians per job, from the Temporal histories)', [r.breakdown]);
    }
    // A run of one part keeps the full run's file (like llm.partial-*.json).
    save(r.throughput.length && 'overhead' in r ? 'recipes' : `recipes.partial-${r.throughput.length ? 'throughput' : 'overhead'}`, r);
  }

  if (!only.length || only.includes('transcription')) {
    const r = await benchTranscription(modelBenchOptions());
    const { loadBefore, loadAfter } = r.machine;
    printTable(
      `Transcription, Whisper base on CPU (${r.config.threads} threads each), ours vs faster-whisper on the same ${r.ours.files.length} files ` +
        `(jfk + 5 LibriVox real, 2 espeak-ng synthetic); seconds = min of ${r.config.rounds} rounds; load avg before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`,
      r.tables.summary,
    );
    printTable('Per file (WER per file; language detected and its probability)', r.tables.perFile);
    printTable(
      `Memory flatness: one process per file, jfk + 19 s pink noise repeated (5 min vs ${r.config.longMinutes} min); peak RSS per process`,
      r.tables.memory,
    );
    printTable('Where our peak RSS goes (first file of the first round): RSS and peak after each phase, peak raise per phase', r.tables.memoryPhases);
    save('transcription', r, r.machine);
  }

  if (!only.length || only.includes('diarization')) {
    const r = await benchDiarization(modelBenchOptions());
    printTable(
      `Diarization on CPU (${r.config.threads} threads each): ours vs sherpa-onnx 2.0.1 (pyannote segmentation-3.0 + the same CAM++), ` +
        `real voices from Debian packages; seconds = min of ${r.config.rounds} rounds; load avg before ${r.machine.loadBefore.join(' ')}, after ${r.machine.loadAfter.join(' ')}`,
      r.tables.summary,
    );
    printTable('Per file (DER with a 0.25 s collar; miss / false alarm / confusion in %)', r.tables.perFile);
    printTable(`Memory flatness: one process per file, the four-voice case looped (5 min vs ${r.config.longMinutes} min); peak RSS per process`, r.tables.memory);
    save('diarization', r, r.machine);
  }

  if (!only.length || only.includes('llm')) {
    const models = process.env.BENCH_LLM_MODELS ? process.env.BENCH_LLM_MODELS.split(',') : LLM_BENCH_MODELS;
    const r = await benchLlm({
      threads: Number(process.env.BENCH_THREADS ?? 2),
      rounds: Number(process.env.BENCH_ROUNDS ?? 2),
      models,
      parts: (process.env.BENCH_LLM_PARTS ?? 'speed,quality').split(',') as Array<'speed' | 'quality'>,
    });
    if (r.tables.speed.length) printTable(
      `LLM runtime (node-llama-cpp 3.21.1, prebuilt CPU) vs llama.cpp built here from the same source (${r.peer.version}), same GGUF, threads ` +
        `and context (${r.config.contextSize}); best of interleaved A/B rounds; load1m: mean 1-minute load average while measured (2 cores) @ UTC time`,
      r.tables.speed,
    );
    if (r.tables.quality.length) printTable('LLM quality on the held-out planted-fact set (bench/data/llm/planted-meetings.json), through summarizeText and generateJson', r.tables.quality);
    save('llm', r, r.machine);
  }

  if (!only.length || only.includes('enhance')) {
    const list = (v?: string) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
    const r = await benchEnhance({
      wer: process.env.BENCH_ENHANCE_WER !== '0',
      systems: list(process.env.BENCH_ENHANCE_SYSTEMS),
      speech: list(process.env.BENCH_ENHANCE_SPEECH),
      snrs: list(process.env.BENCH_ENHANCE_SNRS)?.map(Number),
      werSpeech: list(process.env.BENCH_ENHANCE_WER_SPEECH),
    });
    printTable(
      `Enhancement on the held-out test set (${r.set.items} mixes, ${r.set.audioSeconds} s: ${r.set.speech.length} real speech clips x ${r.set.noises.join(', ')} x ${r.set.snrs.join('/')} dB SNR); ` +
        `every output aligned first (delay by cross-correlation with the input); SI-SDRi = SI-SDR gain over the noisy mix; PESQ-WB/STOI (PyPI pesq, pystoi); RTF = processing s / audio s with the threads named; ` +
        `WER = Whisper base, corpus WER over the mixes after the system (noisy row: without enhancement) and over the clean clips after it (clean row of the unprocessed system: before)`,
      r.summary,
    );
    if (r.werBySnr.length) printTable('WER (%) per SNR', r.werBySnr);
    printTable('SI-SDR improvement (dB) per noise type', r.byNoise);
    save('enhance', r);
  }

  if (!only.length || only.includes('translation')) {
    const models = process.env.BENCH_LLM_MODELS ? process.env.BENCH_LLM_MODELS.split(',') : LLM_CANDIDATES;
    const split = process.env.BENCH_TRANSLATION_SPLIT ?? 'heldout';
    const r = await benchTranslation({ split, threads: Number(process.env.BENCH_THREADS ?? 2), models, pairs: process.env.BENCH_TRANSLATION_PAIRS?.split(',') });
    printTable(`Translation: corpus chrF (sacrebleu chrF2) per pair per engine on the ${split} split of bench/data/translation (${r.rows[0]?.sentences ?? 0} sentences per pair; references by the voxflow team)`, r.tables.chrf);
    save('translation', r);
  }

  if (!only.length || only.includes('tts')) {
    const r = await benchTts({ threads: Number(process.env.BENCH_THREADS ?? 2), rounds: Number(process.env.BENCH_TTS_ROUNDS ?? 2) });
    printTable(
      `TTS speed on CPU (${r.config.threads} threads each), interleaved rounds, same voice files; RTF = synthesis s / audio s over the ${r.config.texts} texts (voice load apart); ` +
        `10-sentence text = Harvard list 1 as one text: time to its first sentence's audio and to its end; load avg before ${r.machine.loadBefore.join(' ')}, after timing ${r.machine.loadAfterTiming.join(' ')}`,
      r.tables.timing,
    );
    printTable(
      `TTS on CPU (${r.config.threads} threads each), ${r.config.texts} texts (LibriVox sentences + Harvard list 1): RTF = synthesis s / audio s (voice load apart); ` +
        `WER through our ASR (${r.config.asr}); speaker similarity = CAM++ cosine to the reference clip ${r.config.reference} (nothing here clones a voice); load avg before ${r.machine.loadBefore.join(' ')}, after ${r.machine.loadAfter.join(' ')}`,
      r.tables.summary,
    );
    printTable('Per text', r.tables.perText);
    save('tts', r, r.machine);
  }

  if (!only.length || only.includes('embed')) {
    const { threads } = modelBenchOptions();
    const r = await benchEmbed({ threads, rounds: Number(process.env.BENCH_ROUNDS ?? 5), batchSizes: [1, 32, 256] });
    const [a, b] = r.sides;
    printTable(
      `Sentence embeddings, all-MiniLM-L6-v2 on CPU (${threads} threads each, inner batch 32, p50 of ${r.config.rounds} rounds): ${a.version} vs ${b.version}; ` +
        `load avg ours ${a.load.before.join(' ')} → ${a.load.after.join(' ')}, peer ${b.load.before.join(' ')} → ${b.load.after.join(' ')}`,
      r.tables.speed,
    );
    save('embed', r);
  }

  if (!only.length || only.includes('streaming')) {
    const concurrency = (process.env.BENCH_STREAM_CONCURRENCY ?? '1,2,4').split(',').map(Number);
    const r = await benchStreaming({ concurrency, threads: Number(process.env.BENCH_STREAM_THREADS ?? 2) });
    printTable(
      `WS /v1/stream, Whisper base on CPU, ${r.config.threads} engine thread(s), N clients streaming ${r.config.recording} at real time ` +
        `(partials every ${r.config.partialIntervalMs} ms of audio, endpoint after ${r.config.endpointSilenceMs} ms of silence; graphs ${r.config.model}); peer: ${r.config.peer}`,
      r.rows,
    );
    save('streaming', r);
  }

  if (!only.length || only.includes('chat')) {
    const r = await benchChat({
      threads: Number(process.env.BENCH_THREADS ?? 2),
      rounds: Number(process.env.BENCH_ROUNDS ?? 2),
      models: (process.env.BENCH_CHAT_MODELS ?? 'qwen2.5-coder-0.5b-instruct-q4_k_m,qwen2.5-coder-1.5b-instruct-q4_k_m').split(','),
      scales: [[20, 50], [1000, 50], [2000, 100]],
    });
    printTable('Exact search (lib/rag/retrieval.ts): every stored 384-d vector scored per query, one thread; vector files decoded once', r.tables.scale);
    printTable('Chat turn latency (lib/rag/chat-turn.ts: MiniLM retrieval + LLM answer) on an 8-segment planted meeting, first model-loading turn excluded', r.tables.chat);
    save('chat', r);
  }
}

runWorker(main);
