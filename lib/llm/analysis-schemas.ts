/**
 * POST /v1/analyze: what the model is asked to emit per chunk (JSON schemas that become llama.cpp
 * grammars, so the output always has the shape) and what each type returns to the client (RESULT
 * schemas, in the same JSON-schema subset, checked by `schemaErrors`). Strings and lists are
 * bounded so that a chunk's answer always fits its token budget.
 */
import type { AnalysisType } from '../../workflows/model';

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const ENTITY_TYPES = ['person', 'place', 'organization', 'date', 'money', 'product', 'other'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

// ---- Results (the `result` of {"type", "result", "model"}) ----

export interface SentimentResult {
  overall: Sentiment;
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  /** Per speaker, when the text has speaker turns ("Name: …" or a stored transcript's "[mm:ss] Speaker 1: …"); else []. */
  speakers: Array<{ speaker: string; overall: Sentiment }>;
}
export type TopicsResult = Array<{ topic: string; summary: string }>;
/** Only names that occur in the text; `mentions`: how often, whole words, case-sensitive. */
export type EntitiesResult = Array<{ text: string; type: EntityType; mentions: number }>;
export type ActionItemsResult = Array<{ owner: string | null; task: string; due: string | null }>;
/** Sentences ending in "?" with who asked them and when (a stored transcript's time, seconds), and whether the text answers them. */
export type QuestionsResult = Array<{ question: string; asked_by: string | null; at: number | null; answered: boolean }>;
export interface PiiRedactResult {
  redacted_text: string;
  redactions: Array<{ type: string; start: number; end: number; text: string }>;
}

export const PII_TYPES = ['email', 'iban', 'card', 'ssn', 'ip', 'phone', 'person', 'place'] as const;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const obj = (properties: Record<string, object>) => ({ type: 'object', properties });
const arr = (items: object, extra: object = {}) => ({ type: 'array', items, ...extra });

export const RESULT_SCHEMAS: Record<AnalysisType, object> = {
  sentiment: obj({ overall: { enum: SENTIMENTS }, score: { type: 'number', minimum: -1, maximum: 1 }, speakers: arr(obj({ speaker: str, overall: { enum: SENTIMENTS } })) }),
  topics: arr(obj({ topic: str, summary: str })),
  entities: arr(obj({ text: str, type: { enum: ENTITY_TYPES }, mentions: { type: 'integer', minimum: 1 } })),
  action_items: arr(obj({ owner: nullableStr, task: str, due: nullableStr })),
  questions: arr(obj({ question: str, asked_by: nullableStr, at: { type: ['number', 'null'], minimum: 0 }, answered: { type: 'boolean' } })),
  pii_redact: obj({
    redacted_text: str,
    redactions: arr(obj({ type: { enum: PII_TYPES }, start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 }, text: str })),
  }),
};

// ---- What the model emits per chunk ----

export const MAX_ENTITIES = 20;
export const MAX_TOPICS = 5;

/** The sentiment of the chunk, and of each speaker in it: one required property per speaker name, so none is skipped or repeated. */
export function sentimentSchema(speakers: string[]): object {
  const label = { enum: SENTIMENTS };
  const base = { overall: label, score: { type: 'number' } };
  if (!speakers.length) return obj(base);
  return obj({ ...base, speakers: obj(Object.fromEntries(speakers.map((s) => [s, label]))) });
}

/** A bounded string or null (the grammar's length bound applies to plain string schemas only, hence oneOf). */
const boundedOrNull = (maxLength: number) => ({ oneOf: [{ type: 'string', maxLength }, { type: 'null' }] });

export const TOPICS_SCHEMA = obj({ topics: arr(obj({ topic: { type: 'string', maxLength: 60 }, summary: { type: 'string', maxLength: 200 } }), { minItems: 1, maxItems: MAX_TOPICS }) });
/**
 * Entities as lists by kind (people, places, organizations, then the rest typed). Asked for one
 * {text, type} list, the 0.5B typed "Helena Okafor" an organization, or listed only the speakers
 * and skipped the other people named (measured here); it sorts names into named lists better.
 */
const names = arr({ type: 'string', maxLength: 48 }, { maxItems: MAX_ENTITIES });
export const ENTITIES_SCHEMA = obj({
  people: names,
  places: names,
  organizations: names,
  other: arr(obj({ text: { type: 'string', maxLength: 48 }, type: { enum: ['date', 'money', 'product', 'other'] } }), { maxItems: MAX_ENTITIES }),
});
export interface EntityLists {
  people: string[];
  places: string[];
  organizations: string[];
  other: Array<{ text: string; type: 'date' | 'money' | 'product' | 'other' }>;
}

/**
 * One item per numbered commitment line ("1", "2", …). `owners[i]`: the one owner a rule decided
 * (then the only value the grammar allows), else the names the model may choose from, or null.
 */
export function actionsSchema(owners: string[][]): object {
  const owner = (names: string[]) => (names.length === 1 ? { const: names[0] } : { enum: [...names, null] });
  return obj(Object.fromEntries(owners.map((names, i) => [String(i + 1), obj({ owner: owner(names), task: { type: 'string', maxLength: 120 }, due: boundedOrNull(40) })])));
}

/** One boolean per detected question, named Q1…Qn so the model answers each in order. */
export const questionsSchema = (n: number) => obj(Object.fromEntries(Array.from({ length: n }, (_, i) => [`Q${i + 1}`, { type: 'boolean' }])));

// ---- A checker for the subset above (the grammar guarantees the model's shape; this checks ours) ----

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** Where `value` breaks `schema` ([] when it conforms). Objects: every property required, none extra. */
export function schemaErrors(value: unknown, schema: object, path = '$'): string[] {
  const s = schema as {
    type?: string | string[];
    enum?: readonly unknown[];
    properties?: Record<string, object>;
    items?: object;
    minItems?: number;
    maxItems?: number;
    minimum?: number;
    maximum?: number;
    maxLength?: number;
  };
  const errs: string[] = [];
  if (s.enum && !s.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`];
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${path}: ${t}, expected ${types.join(' or ')}`];
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) errs.push(`${path}: not finite`);
    if (s.minimum !== undefined && value < s.minimum) errs.push(`${path}: ${value} < ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errs.push(`${path}: ${value} > ${s.maximum}`);
  }
  if (typeof value === 'string' && s.maxLength !== undefined && value.length > s.maxLength) errs.push(`${path}: longer than ${s.maxLength}`);
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errs.push(`${path}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errs.push(`${path}: more than ${s.maxItems} items`);
    if (s.items) value.forEach((v, i) => errs.push(...schemaErrors(v, s.items!, `${path}[${i}]`)));
  }
  if (s.properties && typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const [k, sub] of Object.entries(s.properties)) {
      if (!(k in o)) errs.push(`${path}.${k}: missing`);
      else errs.push(...schemaErrors(o[k], sub, `${path}.${k}`));
    }
    for (const k of Object.keys(o)) if (!(k in s.properties)) errs.push(`${path}.${k}: not in the schema`);
  }
  return errs;
}
