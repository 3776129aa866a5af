/**
 * `npm run bench -- llm`: our LLM runtime (lib/llm/model.ts LlmThreadModel: node-llama-cpp 3.21.1 in
 * a worker thread, prebuilt CPU binary) beside llama.cpp itself (the same llama.cpp source, built
 * here natively by scripts/bench/install-llama-cpp-peer.sh), on the same GGUF, threads
 * (BENCH_THREADS, default 2) and context (production VOXFLOW_LLM_CONTEXT), per model:
 *
 *   - speed probe: one ~500-token prompt (ChatML, byte-identical on both sides), 128 tokens generated;
 *     prompt-processing tokens/s = prompt tokens / time to first token, generation tokens/s = tokens
 *     after the first / time after the first. The same request measured the same way on both sides.
 *   - brief summary of the ~1,500-word planted transcript: ours = summarizeText with the production
 *     chunk budget, wall time (token counting and every generation included); the peer replays the
 *     very requests ours made (same chat-formatted prompts, same max tokens) and its times are summed.
 *     The two sides' texts (and so their output token counts) differ: node-llama-cpp's chat session
 *     keeps its default repeat-penalty sampler over the last 64 tokens, llama-completion runs without
 *     one (1.5B at 13:30 and 21:50: ours 200 tokens, the peer 59). The like-for-like figure for the
 *     summary is the time to first token (the 2,166-token prefill), which is most of the wall time.
 *   - llama-bench pp512/tg128 as a reference for llama.cpp's raw speed here.
 *   - quality on the held-out planted set (bench/llm-quality.ts).
 *
 * The machine is shared: ours and the peer alternate (A/B, then B/A, BENCH_ROUNDS rounds, default 2),
 * the best round of each side counts, and the load average is recorded beside each measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { LlmThreadModel } from '../lib/llm/model';
import { ModelRegistry } from '../lib/models/registry';
import type { GenerateRequest, GenerateResult, LlmModel, LlmSettings } from '../lib/llm/types';
import { chatMl } from './llm-chatml';
import { installPeer, peerComplete, peerLlamaBench, peerVersion, type PeerSettings } from './llm-peer';
import { factsFound, loadSections, measureQuality, summarize, type QualityResult } from './llm-quality';
import { round } from './stats';

export interface LlmBenchOptions {
  threads: number;
  rounds: number;
  models: string[];
  /**
   * Which parts to measure (default both). A part not measured is carried over from the previous
   * bench/results/llm.json with the time it was measured: on a busy shared machine the two parts can
   * then run at different times (the quality part needs no peer).
   */
  parts: Array<'speed' | 'quality'>;
}

const RESULT_FILE = path.join(__dirname, 'results', 'llm.json');

export const LLM_BENCH_MODELS = ['qwen2.5-coder-0.5b-instruct-q4_k_m', 'qwen2.5-coder-1.5b-instruct-q4_k_m'];
const PROBE_OUTPUT_TOKENS = 128;
const GOALS = { speedRatio: 0.95, summarySeconds: 30, jsonValidity: 1, recall: 0.8 };

const load = () => os.loadavg().map((x) => round(x, 2));
const say = (s: string) => process.stderr.write(`[bench llm] ${s}\n`);

interface Speed {
  promptTokens: number;
  outputTokens: number;
  ppTps: number;
  tgTps: number;
  firstTokenMs: number;
  load: number[];
}
interface SummaryRun {
  seconds: number;
  firstTokenMs: number;
  calls: number;
  promptTokens: number;
  outputTokens: number;
  load: number[];
}

/** Records what the production code asks the model, so the peer can replay exactly that. */
class Recorder implements LlmModel {
  requests: GenerateRequest[] = [];
  results: GenerateResult[] = [];
  constructor(private readonly inner: LlmModel) {}
  get id() { return this.inner.id; }
  get contextSize() { return this.inner.contextSize; }
  countTokens(text: string) { return this.inner.countTokens(text); }
  release() { return this.inner.release(); }
  async generate(req: GenerateRequest, hooks?: Parameters<LlmModel['generate']>[1]) {
    this.requests.push(req);
    const r = await this.inner.generate(req, hooks);
    this.results.push(r);
    return r;
  }
}

export async function benchLlm(opts: LlmBenchOptions) {
  const config = loadConfig(process.env);
  const registry = new ModelRegistry(config.modelsDir);
  const settings: LlmSettings = { device: 'cpu', contextSize: config.llm.contextSize, threads: opts.threads, concurrency: 1, maxOutputTokens: config.llm.maxOutputTokens };
  const chunkTokens = config.llm.chunkTokens;
  const loadBefore = load();
  const uptimeBefore = os.uptime();
  const doSpeed = opts.parts.includes('speed');
  const doQuality = opts.parts.includes('quality');
  if (doSpeed) say(`building/finding the llama.cpp peer (load ${loadBefore.join(' ')})`);
  const bin = doSpeed ? installPeer() : '';
  const version = doSpeed ? peerVersion(bin) : '';
  const sections = loadSections();
  const transcript = sections.map((s) => s.text).join('\n');
  const words = transcript.split(/\s+/).filter(Boolean).length;
  // The probe: two sections, a task that runs past 128 tokens (so both sides generate exactly 128).
  const probe: GenerateRequest = {
    system: 'You are a precise assistant that summarizes meeting transcripts.',
    prompt: `Write a long, detailed summary of this transcript, topic by topic, with every name, number and date.\n\nTranscript:\n"""\n${sections[0].text}\n${sections[1].text}\n"""`,
    maxTokens: PROBE_OUTPUT_TOKENS,
  };
  const log = createLogger({ logLevel: 'warn' }, 'bench-llm');
  const perModel: ModelResult[] = [];

  for (const id of opts.models) {
    if (!registry.llmInstalled(id)) throw new Error(`LLM ${id} is not installed (bash scripts/models/install-llm.sh ${id.includes('0.5b') ? '0.5b' : '1.5b'})`);
    const modelPath = `${registry.llmDir(id)}/model.gguf`;
    const peer: PeerSettings = { bin, modelPath, threads: opts.threads, contextSize: settings.contextSize };
    const entry: ModelResult = { model: id, loadSeconds: 0 };
    perModel.push(entry);
    if (!doSpeed && !doQuality) continue;
    say(`${id}: loading ours (${opts.threads} threads, context ${settings.contextSize})`);
    const loadStarted = Date.now();
    const model = await LlmThreadModel.load(id, modelPath, settings, log);
    entry.loadSeconds = (Date.now() - loadStarted) / 1000;
    try {
      if (doSpeed) {
        // Untimed warm-up on both sides: pages of the GGUF in memory, threads started.
        await model.generate({ system: 'You are helpful.', prompt: 'Say hello.', maxTokens: 8 });
        await peerComplete(peer, chatMl({ system: 'You are helpful.', prompt: 'Say hello.' }), 8);

        const ours = { speed: [] as Speed[], summary: [] as SummaryRun[] };
        const theirs = { speed: [] as Speed[], summary: [] as SummaryRun[] };
        let recorded: Recorder | undefined;
        let oursSummary = '';
        let peerSummary = '';
        const oursRound = async () => {
          const r = await model.generate(probe);
          ours.speed.push(speedOf(r.promptTokens, r.outputTokens, r.firstTokenMs ?? r.ms, r.ms));
          const rec = new Recorder(model);
          const started = Date.now();
          // The service's setting (VOXFLOW_LLM_BRIEF_SELECT): the brief reads the fact-bearing sentences only when it is on.
          const out = await summarize(rec, transcript, 'brief', chunkTokens, config.llm.briefSelect);
          ours.summary.push({
            seconds: (Date.now() - started) / 1000,
            firstTokenMs: rec.results[0].firstTokenMs ?? rec.results[0].ms,
            calls: rec.requests.length,
            promptTokens: out.promptTokens,
            outputTokens: out.outputTokens,
            load: load(),
          });
          recorded ??= rec;
          oursSummary = out.summary;
          say(`  ours:  probe pp ${round(ours.speed.at(-1)!.ppTps)} tok/s tg ${round(ours.speed.at(-1)!.tgTps)} tok/s; summary ${round(ours.summary.at(-1)!.seconds)} s (${rec.requests.length} call(s), load ${load().join(' ')})`);
        };
        const peerRound = async () => {
          const p = await peerComplete(peer, chatMl(probe), PROBE_OUTPUT_TOKENS);
          theirs.speed.push({ ...speedOf(p.promptTokens, p.outputTokens, p.firstTokenMs, p.firstTokenMs + p.evalMs), tgTps: (p.evalRuns / p.evalMs) * 1000 });
          // The same requests ours made, in order (recorded in ours' first round).
          let ms = 0;
          let promptTokens = 0;
          let outputTokens = 0;
          let first = 0;
          for (const req of recorded!.requests) {
            const c = await peerComplete(peer, chatMl(req), Math.min(req.maxTokens, settings.maxOutputTokens));
            ms += c.totalMs;
            promptTokens += c.promptTokens;
            outputTokens += c.outputTokens;
            first ||= c.firstTokenMs;
            peerSummary = c.text.trim();
          }
          theirs.summary.push({ seconds: ms / 1000, firstTokenMs: first, calls: recorded!.requests.length, promptTokens, outputTokens, load: load() });
          say(`  peer:  probe pp ${round(theirs.speed.at(-1)!.ppTps)} tok/s tg ${round(theirs.speed.at(-1)!.tgTps)} tok/s; summary ${round(ms / 1000)} s (load ${load().join(' ')})`);
        };
        // A/B then B/A: neither side always runs on the machine state the other left. Ours goes first
        // in the first round, since the peer replays the requests ours records there.
        for (let r = 0; r < opts.rounds; r++) {
          if (r % 2 === 0) { await oursRound(); await peerRound(); }
          else { await peerRound(); await oursRound(); }
        }
        say(`  llama-bench pp512/tg128`);
        const llamaBench = await peerLlamaBench(peer, 512, 128, 2);
        Object.assign(entry, {
          speedAt: new Date().toISOString(),
          speedThreads: opts.threads,
          speedRounds: opts.rounds,
          promptTokensMatch: ours.speed[0].promptTokens === theirs.speed[0].promptTokens && ours.summary[0].promptTokens === theirs.summary[0].promptTokens,
          ours: { ...ours, best: best(ours) },
          peer: { ...theirs, best: best(theirs), llamaBench },
          summary: {
            words,
            ours: oursSummary,
            peer: peerSummary,
            factsOurs: factsFound(oursSummary, sections.flatMap((s) => s.facts)).length,
            factsPeer: factsFound(peerSummary, sections.flatMap((s) => s.facts)).length,
            factsTotal: sections.flatMap((s) => s.facts).length,
          },
        });
      }
      if (doQuality) {
        say(`  quality on the planted set (${sections.length} meetings)`);
        entry.quality = await measureQuality(model, sections, chunkTokens, say);
        entry.qualityAt = new Date().toISOString();
        entry.qualityThreads = opts.threads;
      }
      // Kept as it goes: on a busy machine a run can be cut short, and finished models still count.
      fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
      fs.writeFileSync(path.join(__dirname, 'results', `llm.partial-${opts.parts.join('-')}.json`), JSON.stringify({ models: perModel, peer: { version, bin }, tables: tables(perModel), load: load() }, null, 2));
    } finally {
      await model.release();
    }
  }
  const loadAfter = load();
  // Parts not measured now come from the last saved result, read at the end: a speed run and a
  // quality run started side by side both end up in bench/results/llm.json.
  const previous = readPrevious();
  for (const entry of perModel) {
    const before = previous.models?.find((m) => m.model === entry.model);
    if (!doSpeed && before?.ours) Object.assign(entry, pick(before, SPEED_KEYS));
    if (!doQuality && before?.quality) Object.assign(entry, pick(before, QUALITY_KEYS));
  }
  // Models this run did not touch keep their saved results (BENCH_LLM_MODELS runs a subset).
  for (const m of previous.models ?? []) if (!perModel.some((e) => e.model === m.model) && (m.ours || m.quality)) perModel.push(m);
  return {
    config: { threads: opts.threads, rounds: opts.rounds, contextSize: settings.contextSize, chunkTokens, briefSelect: config.llm.briefSelect, maxOutputTokens: settings.maxOutputTokens, probeOutputTokens: PROBE_OUTPUT_TOKENS, words },
    parts: opts.parts,
    peer: { version: version || previous.peer?.version || '', bin: bin || previous.peer?.bin || '', build: 'llama.cpp from node-llama-cpp 3.21.1 llama/gitRelease.bundle, CPU Release, GGML_NATIVE, GGML_OPENMP off (as the prebuilt)', settings: 'llama-completion defaults (batch 2048, ubatch 512, flash attention auto), --temp 0' },
    goals: GOALS,
    models: perModel,
    tables: tables(perModel),
    machine: { loadBefore, loadAfter, uptimeSeconds: Math.round(uptimeBefore), meminfoGb: round(os.totalmem() / 2 ** 30, 1), cpuInfo: cpuFlags() },
  };
}

function speedOf(promptTokens: number, outputTokens: number, firstTokenMs: number, totalMs: number): Speed {
  return {
    promptTokens,
    outputTokens,
    ppTps: (promptTokens / firstTokenMs) * 1000,
    tgTps: ((outputTokens - 1) / Math.max(1, totalMs - firstTokenMs)) * 1000,
    firstTokenMs,
    load: load(),
  };
}

/** Best round per figure (the machine is shared; the best is the least disturbed). */
function best(side: { speed: Speed[]; summary: SummaryRun[] }) {
  return {
    ppTps: Math.max(...side.speed.map((s) => s.ppTps)),
    tgTps: Math.max(...side.speed.map((s) => s.tgTps)),
    firstTokenMs: Math.min(...side.summary.map((s) => s.firstTokenMs)),
    summarySeconds: Math.min(...side.summary.map((s) => s.seconds)),
  };
}

type ModelResult = {
  model: string;
  loadSeconds: number;
  speedAt?: string;
  speedThreads?: number;
  speedRounds?: number;
  qualityThreads?: number;
  promptTokensMatch?: boolean;
  ours?: { best: ReturnType<typeof best>; speed: Speed[]; summary: SummaryRun[] };
  peer?: { best: ReturnType<typeof best>; speed: Speed[]; summary: SummaryRun[]; llamaBench: { ppTps: number; tgTps: number } };
  summary?: { words: number; ours: string; peer: string; factsOurs: number; factsPeer: number; factsTotal: number };
  qualityAt?: string;
  quality?: QualityResult;
};

/**
 * The last saved result, completed from the per-model files runs leave as they go
 * (llm.partial-<parts>.json): a run cut short still hands on the models it finished.
 * Per model and part, the most recently measured wins.
 */
function readPrevious(): { models?: ModelResult[]; peer?: { bin: string; version: string } } {
  const dir = path.dirname(RESULT_FILE);
  const files = [RESULT_FILE, ...(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^llm\.partial-.*\.json$/.test(f)).map((f) => path.join(dir, f)) : [])];
  const out: { models: ModelResult[]; peer?: { bin: string; version: string } } = { models: [] };
  for (const f of files) {
    let r: { models?: ModelResult[]; peer?: { bin: string; version: string } };
    try {
      r = JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch {
      continue;
    }
    if (r.peer?.version) out.peer = r.peer;
    for (const m of r.models ?? []) {
      let mine = out.models.find((x) => x.model === m.model);
      if (!mine) out.models.push((mine = { model: m.model, loadSeconds: m.loadSeconds }));
      if (m.ours && (!mine.speedAt || (m.speedAt ?? '') > mine.speedAt)) Object.assign(mine, pick(m, SPEED_KEYS));
      if (m.quality && (!mine.qualityAt || (m.qualityAt ?? '') > mine.qualityAt)) Object.assign(mine, pick(m, QUALITY_KEYS));
    }
  }
  return out;
}

const SPEED_KEYS: Array<keyof ModelResult> = ['promptTokensMatch', 'ours', 'peer', 'summary', 'speedAt', 'speedThreads', 'speedRounds'];
const QUALITY_KEYS: Array<keyof ModelResult> = ['quality', 'qualityAt', 'qualityThreads'];

const pick = (o: ModelResult, keys: Array<keyof ModelResult>) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

function tables(models: ModelResult[]) {
  const short = (id: string) => id.replace('qwen2.5-coder-', '').replace('-instruct-q4_k_m', '');
  const speed: Array<Record<string, string | number>> = [];
  for (const m of models) {
    if (!m.ours || !m.peer) continue;
    const o = m.ours.best;
    const p = m.peer.best;
    const pt = m.ours.speed[0].promptTokens;
    const st = m.ours.summary[0].promptTokens;
    // Mean 1-minute load average over this model's measurements (both sides), and when they ran.
    const loads = [...m.ours.speed, ...m.ours.summary, ...m.peer.speed, ...m.peer.summary].map((x) => x.load[0]);
    const loadAvg = `${round(loads.reduce((a, b) => a + b, 0) / loads.length, 1)} @${m.speedAt?.slice(11, 16) ?? '?'}`;
    const threads = m.speedThreads ?? '?';
    const row = (metric: string, ours: number, peer: number, higherBetter: boolean, goal: string, ok: boolean) => ({
      model: short(m.model), threads, metric, voxflow: round(ours, 1), 'llama.cpp': round(peer, 1),
      'voxflow/llama.cpp': round(ours / peer, 2), goal, met: goal === '-' ? '-' : ok ? 'yes' : 'NO', better: higherBetter ? 'higher' : 'lower', load1m: loadAvg,
    });
    speed.push(row(`prompt processing tok/s (${pt}-token prompt)`, o.ppTps, p.ppTps, true, `>= ${GOALS.speedRatio}x`, o.ppTps / p.ppTps >= GOALS.speedRatio));
    speed.push(row(`generation tok/s (${PROBE_OUTPUT_TOKENS} tokens)`, o.tgTps, p.tgTps, true, `>= ${GOALS.speedRatio}x`, o.tgTps / p.tgTps >= GOALS.speedRatio));
    speed.push(row(`time to first token ms (${st}-token summary prompt)`, o.firstTokenMs, p.firstTokenMs, false, '-', true));
    speed.push(row('brief summary of the 1,500-word transcript, s', o.summarySeconds, p.summarySeconds, false, `< ${GOALS.summarySeconds} s`, o.summarySeconds < GOALS.summarySeconds));
    speed.push({ model: short(m.model), threads, metric: 'llama-bench pp512 / tg128 tok/s (reference)', voxflow: '-', 'llama.cpp': `${round(m.peer.llamaBench.ppTps, 1)} / ${round(m.peer.llamaBench.tgTps, 1)}`, 'voxflow/llama.cpp': `${round(o.ppTps / m.peer.llamaBench.ppTps, 2)} / ${round(o.tgTps / m.peer.llamaBench.tgTps, 2)}`, goal: '-', met: '-', better: 'higher', load1m: loadAvg });
  }
  const quality: Array<Record<string, string | number>> = [];
  for (const m of models) {
    const q = m.quality;
    if (!q) continue;
    const pct = (a: number, b: number) => `${round((100 * a) / b, 0)}% (${a}/${b})`;
    quality.push({
      model: short(m.model),
      'fact recall (brief)': pct(q.facts.found, q.facts.total),
      'action-item recall': pct(q.actions.found, q.actions.total),
      'JSON validity': pct(q.json.valid, q.json.total),
      'goals met (>=80%, >=80%, 100%)': [q.facts.found / q.facts.total >= GOALS.recall, q.actions.found / q.actions.total >= GOALS.recall, q.json.valid === q.json.total].map((x) => (x ? 'yes' : 'NO')).join(' / '),
      threads: m.qualityThreads ?? '?',
      seconds: round(q.seconds, 0),
      measured: m.qualityAt?.slice(11, 16) ?? '-',
    });
  }
  return { speed, quality };
}

function cpuFlags(): string {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    return `${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}; ${['avx2', 'avx512f', 'fma', 'f16c'].filter((f) => flags.split(' ').includes(f)).join(' ')}`;
  } catch {
    return os.cpus()[0]?.model ?? '?';
  }
}
