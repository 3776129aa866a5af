/**
 * Which engine translates which language pair, chosen by measurement: corpus chrF (chrf.ts) of
 * each candidate on the held-out split of bench/data/translation (12 meeting sentences per pair,
 * references written by the voxflow team), measured by `npm run bench -- translation`. A pair is
 * served by the installed candidate that scored highest *with the LLM this installation runs*
 * (the 1.5B default and the 0.5B were both measured); a pair nothing here measured is unsupported.
 * Re-measure and update these numbers whenever a prompt, an engine or the eval set changes.
 */
import type { EngineKind, LanguagePair } from './engine';
import { APERTIUM_MODES } from './apertium';
import { pairId } from './languages';

/** How the chrF figures below were measured (reported by GET /v1/languages?task=translate). */
export const MEASUREMENT =
  "corpus chrF (sacrebleu's default chrF: character 6-grams, beta 2) on the 12 held-out meeting sentences per pair of bench/data/translation/heldout.json " +
  "(references written by the voxflow team), greedy decoding; each pair is served by the best-scoring installed engine for the LLM this server runs";

/** The production default LLM (lib/catalog/models.ts: the best installed is the 1.5B). */
export const DEFAULT_LLM = 'qwen2.5-coder-1.5b-instruct-q4_k_m';
export const SMALL_LLM = 'qwen2.5-coder-0.5b-instruct-q4_k_m';

export interface MeasuredPair extends LanguagePair {
  /** Held-out corpus chrF (0–100) per engine; the LLM's per model id. */
  chrf: { apertium?: number; llm: Record<string, number> };
}

const pair = (id: string, apertium: number | undefined, llm: Record<string, number>): MeasuredPair => {
  const [source, target] = id.split('-');
  return { source, target, chrf: { ...(apertium === undefined ? {} : { apertium }), llm } };
};
const L = DEFAULT_LLM;
const S = SMALL_LLM;

/**
 * Measured 2026-12-01 on this 2-core machine (bench/data/translation/heldout-results.json), with
 * the prompt chosen on the tuning split only. With the 1.5B default, Apertium serves en→ca, en→gl
 * and ca→en; the LLM the rest (en→es: 78.9 vs Apertium's 67.9). With the 0.5B, Apertium also
 * serves en→es and gl→en. An absent engine cannot do the pair.
 */
export const MEASURED_PAIRS: readonly MeasuredPair[] = [
  pair('en-es', 67.89, { [L]: 78.93, [S]: 60.52 }),
  pair('en-ca', 64.66, { [L]: 48.5, [S]: 37.42 }),
  pair('en-gl', 66.5, { [L]: 52.5, [S]: 44.72 }),
  pair('es-en', 68.85, { [L]: 83.34, [S]: 71.11 }),
  pair('ca-en', 64.02, { [L]: 60.14, [S]: 47.71 }),
  pair('gl-en', 63.76, { [L]: 73.35, [S]: 54.13 }),
  pair('en-fr', undefined, { [L]: 75.02, [S]: 59.69 }),
  pair('en-de', undefined, { [L]: 58.0, [S]: 44.98 }),
  pair('en-it', undefined, { [L]: 60.54, [S]: 46.67 }),
  pair('en-pt', undefined, { [L]: 74.19, [S]: 57.04 }),
];

/** What this installation can run (the API checks it; lib/translate/availability.ts). */
export interface Installed {
  /** The LLM id the workers load (VOXFLOW_LLM_MODEL or the best installed); undefined when none is. */
  llmModel?: string;
  /** Apertium modes present (`apertium -l`). */
  apertiumModes: ReadonlySet<string>;
}

export interface EngineScore {
  engine: EngineKind;
  /** What runs: the LLM id, or `apertium-<mode>`. */
  model: string;
  /** Held-out chrF; null for an installed LLM this table has no measurement for. */
  chrF: number | null;
  installed: boolean;
}

export interface PairChoice extends LanguagePair {
  /** The engine serving the pair here, with its score. */
  engine: EngineKind;
  model: string;
  chrF: number | null;
  /** Every candidate measured for the pair (including ones not installed here), best first. */
  candidates: EngineScore[];
}

function candidates(p: MeasuredPair, installed: Installed): EngineScore[] {
  const out: EngineScore[] = [];
  const mode = APERTIUM_MODES[pairId(p.source, p.target)];
  if (p.chrf.apertium !== undefined && mode) {
    out.push({ engine: 'apertium', model: `apertium-${mode}`, chrF: p.chrf.apertium, installed: installed.apertiumModes.has(mode) });
  }
  const models = new Set(Object.keys(p.chrf.llm));
  if (installed.llmModel) models.add(installed.llmModel);
  for (const model of models) {
    out.push({ engine: 'llm', model, chrF: p.chrf.llm[model] ?? null, installed: model === installed.llmModel });
  }
  // Best first; an unmeasured score sorts last; on a tie the deterministic, cheaper Apertium first.
  return out.sort((a, b) => (b.chrF ?? -1) - (a.chrF ?? -1) || (a.engine === 'apertium' ? -1 : b.engine === 'apertium' ? 1 : 0));
}

/** The engine for one pair on this installation, or undefined when nothing installed can do it. */
export function choosePair(source: string, target: string, installed: Installed): PairChoice | undefined {
  const p = MEASURED_PAIRS.find((m) => m.source === source && m.target === target);
  if (!p) return undefined;
  const all = candidates(p, installed);
  const best = all.find((c) => c.installed);
  if (!best) return undefined;
  return { source, target, engine: best.engine, model: best.model, chrF: best.chrF, candidates: all };
}

/** Every pair this installation serves, with its engine (GET /v1/languages?task=translate). */
export function supportedPairs(installed: Installed): PairChoice[] {
  return MEASURED_PAIRS.map((p) => choosePair(p.source, p.target, installed)).filter((c): c is PairChoice => c !== undefined);
}
