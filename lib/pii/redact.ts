/**
 * pii_redact's result: the rules' spans (rules.ts, complete on their own) plus every occurrence of
 * the people and places the model named (only text that really occurs), each replaced by a token
 * such as [EMAIL]. Offsets are Unicode code points into the ORIGINAL text (what Python's str
 * indexing and the API's character limit count), end exclusive.
 */
import { claimSpans, findRulePii, type PiiSpan } from './rules';

export const PII_TOKENS: Readonly<Record<string, string>> = {
  email: '[EMAIL]',
  iban: '[IBAN]',
  card: '[CARD]',
  ssn: '[SSN]',
  ip: '[IP]',
  phone: '[PHONE]',
  person: '[PERSON]',
  place: '[PLACE]',
};

export interface Redaction {
  type: string;
  /** Code points into the original text, end exclusive. */
  start: number;
  end: number;
  text: string;
}

export interface RedactionResult {
  redacted_text: string;
  redactions: Redaction[];
}

export interface NamedEntity {
  text: string;
  type: 'person' | 'place';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every occurrence of each name as a whole word (case-sensitive: "Will" the person is not "will").
 * A person's full name also covers its parts alone ("Okafor" after "Helena Okafor"): a surname by
 * itself still identifies someone.
 */
export function findEntitySpans(text: string, entities: NamedEntity[]): PiiSpan[] {
  const names = new Map<string, NamedEntity['type']>();
  for (const e of entities) {
    const t = e.text.trim();
    if (t.length < 2) continue;
    if (!names.has(t)) names.set(t, e.type);
    if (e.type === 'person') for (const part of t.split(/\s+/)) if (part.length >= 3 && /^\p{Lu}/u.test(part) && !names.has(part)) names.set(part, 'person');
  }
  const spans: PiiSpan[] = [];
  // Longer names first, so "Helena Okafor" is one span rather than two.
  for (const [name, type] of [...names].sort((a, b) => b[0].length - a[0].length)) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'gu');
    for (const m of text.matchAll(re)) spans.push({ type, start: m.index!, end: m.index! + m[0].length });
  }
  return spans;
}

/** UTF-16 offset → code point offset, for every offset of `text`. */
function codePointIndex(text: string): (utf16: number) => number {
  const map = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    // A high surrogate and its low surrogate are one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) map[++i] = cp;
    }
    cp++;
  }
  map[text.length] = cp;
  return (i) => map[i];
}

export function redactPii(text: string, entities: NamedEntity[] = []): RedactionResult {
  // Rules first: a name inside an email address is redacted as the email.
  const spans = claimSpans([...findRulePii(text), ...findEntitySpans(text, entities)]);
  const cp = codePointIndex(text);
  let out = '';
  let at = 0;
  const redactions: Redaction[] = [];
  for (const s of spans) {
    out += text.slice(at, s.start) + PII_TOKENS[s.type];
    at = s.end;
    redactions.push({ type: s.type, start: cp(s.start), end: cp(s.end), text: text.slice(s.start, s.end) });
  }
  return { redacted_text: out + text.slice(at), redactions };
}
