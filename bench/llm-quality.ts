/**
 * LLM quality on the bench's own held-out planted-fact set (bench/data/llm/planted-meetings.json,
 * never used by tests or to tune prompts): through the production code paths (summarizeText with the
 * production chunk budget, generateJson with its grammar), per section:
 *   - fact recall of the brief summary (planted facts named / planted facts),
 *   - action-item recall of the action_items summary (a "- " line naming the owner and the task),
 *   - JSON validity of structured outputs (parses and has the schema's shape), two schemas per meeting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StructuredOutputError, generateJson } from '../lib/llm/json-schema';
import { summarizeText, type SummaryParts } from '../lib/llm/summarize';
import type { LlmModel } from '../lib/llm/types';
import type { SummaryStyle } from '../workflows/model';
import { BENCH_SCHEMAS } from './llm-schemas';
import { schemaViolation } from './llm-schema-check';

export interface Section {
  id: string;
  text: string;
  /** Each fact: alternative spellings, any one of which counts. */
  facts: string[][];
  actions: Array<{ owner: string; task: string }>;
}

export function loadSections(): Section[] {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'llm', 'planted-meetings.json'), 'utf8')) as {
    sections: Array<Omit<Section, 'text'> & { lines: string[] }>;
  };
  return raw.sections.map(({ lines, ...s }) => ({ ...s, text: lines.join('\n') }));
}

/** Lower case, thousands separators dropped ("21,000" and "21000" are the same number). */
const norm = (s: string) => s.toLowerCase().replace(/(\d)[,\u00a0\u202f](?=\d{3}\b)/g, '$1');

export const factsFound = (summary: string, facts: string[][]) => facts.filter((alts) => alts.some((a) => norm(summary).includes(norm(a))));

export function actionsFound(list: string, actions: Section['actions']) {
  const lines = list.split('\n').filter((l) => /^\s*(?:[-*•]|\d+[.)])\s+/.test(l)).map(norm);
  return actions.filter(({ owner, task }) => lines.some((l) => l.includes(norm(owner)) && l.includes(norm(task))));
}

/** Intermediate summaries in memory (the activity keeps them in object storage). */
export const memoryParts = (): SummaryParts => {
  const m = new Map<string, string>();
  return { get: async (r, i) => m.get(`${r}/${i}`), put: async (r, i, t) => void m.set(`${r}/${i}`, t) };
};

export const summarize = (model: LlmModel, text: string, style: SummaryStyle, chunkTokens: number, briefSelect = false) =>
  summarizeText(model, text, style, { chunkTokens, briefSelect, parts: memoryParts() });

export interface QualityResult {
  facts: { found: number; total: number; missed: string[] };
  actions: { found: number; total: number; missed: string[] };
  json: { valid: number; total: number; failures: string[]; schemas: string[] };
  seconds: number;
  samples: Array<{ section: string; brief: string; actionItems: string }>;
}

export async function measureQuality(model: LlmModel, sections: Section[], chunkTokens: number, log: (s: string) => void): Promise<QualityResult> {
  const started = Date.now();
  const r: QualityResult = {
    facts: { found: 0, total: 0, missed: [] },
    actions: { found: 0, total: 0, missed: [] },
    json: { valid: 0, total: 0, failures: [], schemas: BENCH_SCHEMAS.map((s) => s.name) },
    seconds: 0,
    samples: [],
  };
  for (const s of sections) {
    const brief = (await summarize(model, s.text, 'brief', chunkTokens)).summary;
    const found = factsFound(brief, s.facts);
    r.facts.found += found.length;
    r.facts.total += s.facts.length;
    r.facts.missed.push(...s.facts.filter((f) => !found.includes(f)).map((f) => `${s.id}:${f[0]}`));

    const items = (await summarize(model, s.text, 'action_items', chunkTokens)).summary;
    const got = actionsFound(items, s.actions);
    r.actions.found += got.length;
    r.actions.total += s.actions.length;
    r.actions.missed.push(...s.actions.filter((a) => !got.includes(a)).map((a) => `${s.id}:${a.owner}/${a.task}`));
    r.samples.push({ section: s.id, brief, actionItems: items });

    // Two schemas per meeting, in rotation: every schema is checked on several meetings, at half the cost.
    const k = sections.indexOf(s);
    for (const schema of [BENCH_SCHEMAS[(2 * k) % BENCH_SCHEMAS.length], BENCH_SCHEMAS[(2 * k + 1) % BENCH_SCHEMAS.length]]) {
      r.json.total++;
      try {
        const { value } = await generateJson<unknown>(model, schema.request(s.text), schema.schema);
        const bad = schemaViolation(value, schema.schema as never);
        if (bad) r.json.failures.push(`${s.id}/${schema.name}: ${bad}`);
        else r.json.valid++;
      } catch (err) {
        if (!(err instanceof StructuredOutputError)) throw err;
        r.json.failures.push(`${s.id}/${schema.name}: ${err.message}`);
      }
    }
    log(`  ${s.id}: facts ${found.length}/${s.facts.length}, actions ${got.length}/${s.actions.length}, json ${r.json.valid}/${r.json.total} so far`);
  }
  r.seconds = (Date.now() - started) / 1000;
  return r;
}
