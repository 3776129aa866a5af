/**
 * JSON bodies of the text endpoints: the field schemas their published bodies are built from
 * (`textField`, `nonBlank`), and the bound every text has that only the configuration knows
 * (`charsWithin`: VOXFLOW_TEXT_MAX_CHARS and friends, a 413 naming the limit). Every rejection
 * names what is valid, so a client can fix its request from the message alone.
 */
import { z } from 'zod';
import { badRequest, payloadTooLarge } from '../errors';

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

/** A JSON object body (the routes' schemas check this themselves; kept for api/jobs/submit-tts.ts's pre-check). */
export function requireObject(body: unknown, fields: string): JsonObject {
  if (body === undefined) throw badRequest(`Send a JSON object with ${fields}.`, { code: 'missing_body' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`The request body must be a JSON object with ${fields}.`, { code: 'invalid_body' });
  }
  return body as JsonObject;
}
