/**
 * `npm run bench -- translation`: chrF (sacrebleu's definition, lib/translate/chrf.ts) per language
 * pair per engine — Apertium where Debian has the pair, and each installed Qwen2.5-Coder LLM — on
 * the held-out split of bench/data/translation (BENCH_TRANSLATION_SPLIT=tune scores the split the
 * prompt was tuned on). lib/translate/pairs.ts records these scores and picks the engine per pair.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { LlmThreadModel } from '../lib/llm/model';
import { APERTIUM_MODES, ApertiumTranslator, installedApertiumModes } from '../lib/translate/apertium';
import { corpusChrf } from '../lib/translate/chrf';
import type { LanguagePair, TranslationEngine } from '../lib/translate/engine';
import { pairId } from '../lib/translate/languages';
import { LlmTranslator } from '../lib/translate/llm-engine';
import { MEASURED_PAIRS } from '../lib/translate/pairs';
import { round } from './stats';

interface EvalSet {
  split: string;
  sentences: Array<Record<string, string>>;
}

export interface TranslationRow {
  pair: string;
  engine: string;
  model: string;
  chrF: number;
  sentences: number;
  seconds: number;
}

export const LLM_CANDIDATES = ['qwen2.5-coder-1.5b-instruct-q4_k_m', 'qwen2.5-coder-0.5b-instruct-q4_k_m'];

export function loadEvalSet(split: string): EvalSet {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'translation', `${split}.json`), 'utf8')) as EvalSet;
}

export async function benchTranslation(opts: { split: string; threads: number; models: string[]; pairs?: string[] }) {
  const data = loadEvalSet(opts.split);
  const pairs: LanguagePair[] = MEASURED_PAIRS.filter((p) => !opts.pairs?.length || opts.pairs.includes(pairId(p.source, p.target)));
  const rows: TranslationRow[] = [];
  const outputs: Record<string, Record<string, string[]>> = {};
  const score = async (engine: TranslationEngine, label: string, pair: LanguagePair) => {
    const sources = data.sentences.map((s) => s[pair.source]);
    const refs = data.sentences.map((s) => s[pair.target]);
    const t0 = Date.now();
    const out = await engine.translate(sources, pair);
    const row = { pair: pairId(pair.source, pair.target), engine: engine.kind, model: out.model, chrF: round(corpusChrf(out.texts, refs), 2), sentences: sources.length, seconds: round((Date.now() - t0) / 1000, 1) };
    rows.push(row);
    ((outputs[row.pair] ??= {})[label] = out.texts);
    console.log(JSON.stringify(row));
  };

  const apertiumSettings = { bin: process.env.VOXFLOW_APERTIUM_PATH ?? 'apertium', timeoutMs: 120_000 };
  const modes = await installedApertiumModes(apertiumSettings);
  const apertium = new ApertiumTranslator(apertiumSettings);
  for (const pair of pairs) {
    const mode = APERTIUM_MODES[pairId(pair.source, pair.target)];
    if (mode && modes.has(mode)) await score(apertium, 'apertium', pair);
  }
  const modelsDir = process.env.VOXFLOW_MODELS_DIR ?? path.join(process.env.VOXFLOW_CACHE ?? path.join(os.homedir(), '.cache', 'voxflow'), 'models');
  for (const id of opts.models) {
    const file = path.join(modelsDir, 'llm', id, 'model.gguf');
    if (!fs.existsSync(file)) {
      console.log(`skipping ${id}: not installed (scripts/models/install-llm.sh)`);
      continue;
    }
    const model = await LlmThreadModel.load(id, file, { device: 'cpu', contextSize: 2048, threads: opts.threads, concurrency: 1, maxOutputTokens: 512 }, pino({ level: 'warn' }));
    try {
      for (const pair of pairs) await score(new LlmTranslator(model), id, pair);
    } finally {
      await model.release();
    }
  }
  // One line per pair: each engine's chrF side by side, and the best per LLM (what pairs.ts should record).
  const chrf = pairs.map((pair) => {
    const id = pairId(pair.source, pair.target);
    const mine = rows.filter((r) => r.pair === id);
    const line: Record<string, string | number> = { pair: id };
    const apertiumScore = mine.find((r) => r.engine === 'apertium')?.chrF;
    line.apertium = apertiumScore ?? '-';
    for (const m of opts.models) {
      const llm = mine.find((r) => r.model === m)?.chrF;
      line[m] = llm ?? '-';
      if (llm !== undefined) line[`best with ${m.replace(/^qwen2\.5-coder-|-instruct-q4_k_m$/g, '')}`] = apertiumScore !== undefined && apertiumScore >= llm ? 'apertium' : 'llm';
    }
    return line;
  });
  return { split: data.split, config: { threads: opts.threads, models: opts.models }, rows, tables: { chrf }, outputs };
}
