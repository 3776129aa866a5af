/**
 * Deterministic post-processing of the model's per-chunk answers, and merging chunks exactly:
 * entities are kept only when their text occurs in the chunk (spelled as there), speakers named
 * in turns are people, lists are concatenated and deduplicated, sentiment is weighted by length.
 * Nothing here asks the model again, so merging never loses an item a chunk found.
 */
import type { ActionItemsResult, EntitiesResult, EntityType, QuestionsResult, Sentiment, SentimentResult, TopicsResult } from './analysis-schemas';
import { isGenericSpeaker, speakersOf, turns } from './analysis-text';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wholeWord = (name: string, flags = 'gu') => new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, flags);
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** A chunk's words without the "[mm:ss] Speaker:" prefixes (timestamps are not dates; speakers are added as people). */
export const contentOf = (chunk: string) =>
  turns(chunk)
    .map((t) => t.text)
    .join('\n');

/** Lower-case words a person's or place's name may contain ("Leonardo da Vinci", "Rio de Janeiro"). */
const PARTICLES = new Set(['da', 'de', 'del', 'della', 'der', 'di', 'du', 'la', 'le', 'van', 'von', 'y', 'of', 'upon', 'al', 'bin', 'el']);
const NOT_NAME_START = new Set(['The', 'A', 'An', 'Her', 'His', 'Its', 'Our', 'Their', 'My', 'Your', 'This', 'That', 'These', 'Those', 'We', 'They', 'He', 'She', 'I', 'You']);

/**
 * A person or place is a proper name: every word capitalized (particles aside) and no pronoun or
 * article first. The 0.5B also lists "Her assistant" or "card" as people and places, which would
 * otherwise be redacted everywhere.
 */
export function looksLikeName(text: string): boolean {
  const words = text.split(/\s+/);
  if (NOT_NAME_START.has(words[0])) return false;
  return words.every((w, i) => /^\p{Lu}/u.test(w) || (i > 0 && i < words.length - 1 && PARTICLES.has(w)));
}

/** At most one edit apart (substitution, insertion or deletion). */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string) => x.slice(i + 1) === y.slice(i + (a.length === b.length ? 1 : 0));
  return a.length === b.length ? tail(a, b) : a.length > b.length ? a.slice(i + 1) === b.slice(i) : b.slice(i + 1) === a.slice(i);
}

/**
 * The text's own spelling of a name the model wrote one letter off ("Lisboa" for the text's
 * "Lisbon", measured here): the same number of capitalized words, each equal or, from five
 * letters on, one edit apart with the same first three letters. Undefined when none is that close.
 */
export function nearName(content: string, name: string): string | undefined {
  const want = name.split(/\s+/).map((w) => w.toLowerCase());
  const words = [...content.matchAll(/[\p{L}\p{N}'’-]+/gu)];
  const close = (w: string, x: string) => w === x || (w.length >= 5 && x.length >= 5 && w.slice(0, 3) === x.slice(0, 3) && oneEditApart(w, x));
  for (let i = 0; i + want.length <= words.length; i++) {
    const run = words.slice(i, i + want.length);
    if (!/^\p{Lu}/u.test(run[0][0])) continue;
    if (run.every((m, j) => close(m[0].toLowerCase(), want[j]))) return content.slice(run[0].index!, run.at(-1)!.index! + run.at(-1)![0].length);
  }
  return undefined;
}

export interface ChunkEntity {
  text: string;
  type: EntityType;
}

/**
 * The model's entities that really occur in the chunk, as written there (an exact whole-word match,
 * else a case-insensitive one whose spelling in the text is kept), plus every named speaker as a person.
 */
export function groundEntities(chunk: string, found: ChunkEntity[]): ChunkEntity[] {
  const content = contentOf(chunk);
  const out: ChunkEntity[] = [];
  const seen = new Set<string>();
  const add = (e: ChunkEntity) => {
    const k = e.text.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  };
  for (const s of speakersOf(chunk, Infinity)) if (!isGenericSpeaker(s)) add({ text: s, type: 'person' });
  for (const e of found) {
    const text = e.text.trim().replace(/^["'“‘(]+|["'”’),.;:!?]+$/gu, '');
    if (text.length < 2 || isGenericSpeaker(text)) continue;
    const spelled = wholeWord(text).test(content) ? text : (wholeWord(text, 'iu').exec(content)?.[0] ?? (e.type === 'person' || e.type === 'place' || e.type === 'organization' ? nearName(content, text) : undefined));
    if (!spelled) continue;
    if ((e.type === 'person' || e.type === 'place') && !looksLikeName(spelled)) continue;
    add({ text: spelled, type: e.type });
  }
  return out;
}

/** Chunks' entities as one list: first spelling and type win (a speaker stays a person), with whole-word mention counts over the whole text. */
export function mergeEntities(text: string, chunks: ChunkEntity[][]): EntitiesResult {
  const byKey = new Map<string, ChunkEntity>();
  for (const list of chunks) for (const e of list) if (!byKey.has(e.text.toLowerCase())) byKey.set(e.text.toLowerCase(), e);
  return [...byKey.values()].map((e) => ({ text: e.text, type: e.type, mentions: Math.max(1, [...text.matchAll(wholeWord(e.text))].length) }));
}

export function mergeTopics(chunks: TopicsResult[]): TopicsResult {
  const seen = new Set<string>();
  const out: TopicsResult = [];
  for (const list of chunks) {
    for (const t of list) {
      const topic = t.topic.trim();
      const k = norm(topic);
      if (!k || seen.has(k)) continue;
      seen.add(k);
      out.push({ topic, summary: t.summary.trim() });
    }
  }
  return out;
}

/** Trimmed, empty owners null, items without a task dropped, duplicates (same owner and task) once. */
export function mergeActionItems(chunks: ActionItemsResult[]): ActionItemsResult {
  const seen = new Set<string>();
  const out: ActionItemsResult = [];
  for (const list of chunks) {
    for (const a of list) {
      const task = a.task.trim();
      const owner = a.owner?.trim() || null;
      const due = a.due?.trim() || null;
      const k = `${norm(owner ?? '')}\u0000${norm(task)}`;
      if (!norm(task) || seen.has(k)) continue;
      seen.add(k);
      out.push({ owner, task, due });
    }
  }
  return out;
}

/** A question asked twice by the same person is listed once, answered if either time was. */
export function mergeQuestions(chunks: QuestionsResult[]): QuestionsResult {
  const out: QuestionsResult = [];
  const index = new Map<string, number>();
  for (const list of chunks) {
    for (const q of list) {
      const k = `${q.asked_by ?? ''}\u0000${norm(q.question)}`;
      const at = index.get(k);
      if (at === undefined) {
        index.set(k, out.length);
        out.push({ ...q });
      } else out[at].answered ||= q.answered;
    }
  }
  return out;
}

export interface ChunkSentiment {
  overall: Sentiment;
  score: number;
  speakers: Record<string, Sentiment>;
  /** The chunk's length in characters: its weight in the merge. */
  weight: number;
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.max(-1, Math.min(1, x)) : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;

/** One label from several: all the same → it; positive beside negative (or any mixed) → mixed; else the heavier one. */
function combineLabels(labels: Array<{ label: Sentiment; weight: number }>): Sentiment {
  const kinds = new Set(labels.map((l) => l.label));
  if (kinds.size === 1) return labels[0].label;
  if (kinds.has('mixed') || (kinds.has('positive') && kinds.has('negative'))) return 'mixed';
  const total = (s: Sentiment) => labels.filter((l) => l.label === s).reduce((a, l) => a + l.weight, 0);
  const polar = kinds.has('positive') ? 'positive' : 'negative';
  return total(polar) >= total('neutral') ? polar : 'neutral';
}

export function mergeSentiment(chunks: ChunkSentiment[]): SentimentResult {
  const weight = chunks.reduce((a, c) => a + c.weight, 0) || 1;
  const speakers: string[] = [];
  for (const c of chunks) for (const s of Object.keys(c.speakers)) if (!speakers.includes(s)) speakers.push(s);
  return {
    overall: combineLabels(chunks.map((c) => ({ label: c.overall, weight: c.weight }))),
    score: round2(chunks.reduce((a, c) => a + clamp(c.score) * c.weight, 0) / weight),
    speakers: speakers.map((speaker) => ({
      speaker,
      overall: combineLabels(chunks.filter((c) => c.speakers[speaker]).map((c) => ({ label: c.speakers[speaker], weight: c.weight }))),
    })),
  };
}
