/**
 * JSON bodies of the text endpoints: the field schemas their published bodies are built from
 * (`textField`, `nonBlank`), and the bound every text has that only the configuration knows
 * (`charsWithin`: VOXFLOW_TEXT_MAX_CHARS and friends, a 413 naming the limit). Every rejection
 * names what is valid, so a client can fix its request from the message alone.
 */
import { z } from 'zod';
import { badRequest, clip, payloadTooLarge } from '../errors';

/** A string with something besides whitespace in it ("`name` is empty." otherwise). */
export const nonBlank = () => z.string().refine((v) => v.trim() !== '', { params: { blank: true } });

/** The text a text endpoint works on (its length bound is the configuration's: `charsWithin`). */
export const textField = (what = 'The text to work on (at most VOXFLOW_TEXT_MAX_CHARS characters).') => nonBlank().describe(what);

/** Length in code points, the unit of the documented limits and prices (a UTF-16 count would charge emoji twice); 413 past `maxChars`. */
export function charsWithin(text: string, maxChars: number, name = 'text', what = 'the limit of this endpoint'): number {
  let chars = 0;
  for (const _ of text) if (++chars > maxChars) break;
  if (chars > maxChars) {
    throw payloadTooLarge(`\`${name}\` is longer than ${maxChars.toLocaleString('en-US')} characters, ${what}.`, { code: 'text_too_long', param: name, limit: maxChars });
  }
  return chars;
}

export type JsonObject = Record<string, unknown>;

export function requireObject(body: unknown, fields: string): JsonObject {
  if (body === undefined) throw badRequest(`Send a JSON object with ${fields}.`, { code: 'missing_body' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`The request body must be a JSON object with ${fields}.`, { code: 'invalid_body' });
  }
  return body as JsonObject;
}

/** `text`: a non-empty string of at most `maxChars` characters (Unicode code points). */
export function requireText(body: JsonObject, maxChars: number, name = 'text'): { text: string; chars: number } {
  const v = body[name];
  if (v === undefined || v === null) throw badRequest(`\`${name}\` is required: the text to work on, as a JSON string.`, { code: 'missing_parameter', param: name });
  if (typeof v !== 'string') throw badRequest(`\`${name}\` must be a string.`, { code: 'invalid_parameter', param: name });
  if (v.trim() === '') throw badRequest(`\`${name}\` is empty.`, { code: 'invalid_parameter', param: name });
  // Length in code points, the unit of the documented limit and price (a UTF-16 count would charge emoji twice).
  let chars = 0;
  for (const _ of v) if (++chars > maxChars) break;
  if (chars > maxChars) {
    throw payloadTooLarge(`\`${name}\` is longer than ${maxChars.toLocaleString('en-US')} characters, the limit of this endpoint.`, { code: 'text_too_long', param: name, limit: maxChars });
  }
  return { text: v, chars };
}

/** An optional enumerated parameter: absent means the default; anything else must be one of `valid`. */
export function oneOf<T extends string>(body: JsonObject, name: string, valid: readonly T[], dflt: T): T {
  const v = body[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' || !valid.includes(v as T)) {
    const shown = typeof v === 'string' ? `'${clip(v)}'` : `a ${Array.isArray(v) ? 'list' : typeof v}`;
    throw badRequest(`Unknown ${name} ${shown}. Valid values: ${valid.join(', ')}.`, { code: 'invalid_parameter', param: name, valid });
  }
  return v as T;
}

/** A required enumerated parameter: absent is 400 naming every valid value, as is anything not among them. */
export function requireOneOf<T extends string>(body: JsonObject, name: string, valid: readonly T[]): T {
  if (body[name] === undefined || body[name] === null) {
    throw badRequest(`\`${name}\` is required. Valid values: ${valid.join(', ')}.`, { code: 'missing_parameter', param: name, valid });
  }
  return oneOf(body, name, valid, valid[0]);
}
