/**
 * Deterministic PII detectors: each finds every occurrence of the pattern it covers, on its own,
 * with no model involved. Card numbers and IBANs are confirmed by their checksums (checksums.ts), so
 * reference numbers of the same shape stay; phone rules require a phone's structure (a +/00 country
 * prefix, a trunk 0, or North American 3-3-4 grouping), so years, amounts, times and dates stay.
 * Spans are UTF-16 offsets into the text (redact.ts converts them for the API).
 */
import { ibanValid, luhnValid } from './checksums';

export const RULE_TYPES = ['email', 'iban', 'card', 'ssn', 'ip', 'phone'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface PiiSpan {
  type: string;
  /** UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
}

const digitCount = (s: string) => s.replace(/\D/g, '').length;

function scan(text: string, re: RegExp, type: RuleType, accept: (m: string) => boolean = () => true): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(re)) if (accept(m[0])) out.push({ type, start: m.index!, end: m.index! + m[0].length });
  return out;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-][\p{L}\p{N}._%+-]*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}@])/gu;

export const findEmails = (text: string) => scan(text, EMAIL, 'email');

/**
 * IBANs, compact or printed in groups ("DE89 3704 0044 0532 0130 00"). A candidate run may take in
 * what follows the IBAN ("… 00 EUR"), so the longest prefix ending at a word boundary that passes
 * the checksum is the IBAN.
 */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,40}/gu;

export function findIbans(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  const re = new RegExp(IBAN_CANDIDATE.source, IBAN_CANDIDATE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const cand = m[0];
    let hit = 0;
    for (let len = cand.length; len >= 15; len--) {
      if (!/[A-Za-z0-9]/.test(cand[len - 1])) continue;
      const next = text[m.index + len];
      if (next !== undefined && /[\p{L}\p{N}]/u.test(next)) continue;
      if (ibanValid(cand.slice(0, len).replace(/ /g, ''))) {
        hit = len;
        break;
      }
    }
    if (hit) {
      out.push({ type: 'iban', start: m.index, end: m.index + hit });
      re.lastIndex = m.index + hit;
    } else re.lastIndex = m.index + 1;
  }
  return out;
}

/** 13–19 digits, optionally grouped by single spaces or dashes, the whole run (not part of a longer number), Luhn-valid. */
const CARD = /(?<!\d[ -]?)\d(?:[ -]?\d){12,18}(?![ -]?\d)/g;
export const findCards = (text: string) => scan(text, CARD, 'card', (m) => luhnValid(m.replace(/\D/g, '')));

/** US Social Security numbers, dashed (123-45-6789), without the never-issued areas 000, 666, 900–999, group 00 or serial 0000. */
const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
export const findSsns = (text: string) =>
  scan(text, SSN, 'ssn', (m) => {
    const [area, group, serial] = m.split('-');
    return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
  });

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, 'g');
export const findIpv4s = (text: string) => scan(text, IPV4, 'ip');

/** A date inside a digit run (14.03.2024, 03/14/24, 2024-03-14): such runs are never phone numbers. */
const DATE_LIKE = /(?:^|\D)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:\D|$)|\d{4}-\d{2}-\d{2}/;

/** International: +CC or 00CC, then groups separated by a space, dot or dash, an area code maybe in parentheses; 7–15 digits after the prefix sign (E.164). */
const PHONE_INTL = /(?<![\p{L}\p{N}+])(?:\+|00(?=[1-9]))\d{1,3}(?:[ .-]?\(\d{1,4}\)|[ .-]?\d{1,6}){1,7}(?![\p{N}:]|[.,-]\d)/gu;
/** North American: (415) 555-0132, 415-555-0132, 415.555.0132, 1-415-555-0132 (a separator or parentheses required: bare 10-digit runs are too often other numbers). */
const PHONE_NANP = /(?<![\p{L}\p{N}+(.,-])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\p{N}:]|[.,-]\d)/gu;
/** National with a trunk 0: 020 7946 0958, 030 12345678, (030) 1234567, 06 12 34 56 78, 06-12345678; 9–12 digits. */
const PHONE_TRUNK = /(?<![\p{L}\p{N}+.,/-])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ /.-]?\d{2,8}){1,4}(?![\p{N}:]|[.,/-]\d)/gu;

export function findPhones(text: string): PiiSpan[] {
  // One number matched by two formats ("+1 (415) 555-0132" and its "(415) 555-0132") is one phone.
  return claimSpans([
    ...scan(text, PHONE_INTL, 'phone', (m) => {
      const n = digitCount(m) - (m.startsWith('00') ? 2 : 0);
      return n >= 7 && n <= 15 && !DATE_LIKE.test(m);
    }),
    ...scan(text, PHONE_NANP, 'phone'),
    ...scan(text, PHONE_TRUNK, 'phone', (m) => {
      const n = digitCount(m);
      return n >= 9 && n <= 12 && !DATE_LIKE.test(m);
    }),
  ]);
}

/**
 * Every rule's spans, without overlaps: earlier rules win (an email's digits are no phone, an
 * IBAN's no card), and within a rule the longer span at the same place.
 */
export function findRulePii(text: string): PiiSpan[] {
  const ordered = [findEmails, findIbans, findCards, findSsns, findIpv4s, findPhones].map((f) => f(text).sort((a, b) => a.start - b.start || b.end - a.end));
  return claimSpans(ordered.flat());
}

/** Keeps spans in the order given, dropping any that overlaps one already kept; sorted by start. */
export function claimSpans(spans: PiiSpan[]): PiiSpan[] {
  const kept: PiiSpan[] = [];
  for (const s of spans) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}
