/**
 * The body of POST /v1/embed: `texts` (a list of strings, the contract's form) or `text` (one string)
 * — exactly one. Bounded like the other text endpoints: 400 for a malformed list (empty, a non-string
 * or blank item), 413 for too many texts, a text over the per-text limit, or a total over
 * VOXFLOW_TEXT_MAX_CHARS (the same codes as /v1/translate's batch). Each rejection names the limit.
 */
import { badRequest, payloadTooLarge } from '../errors';
import type { JsonObject } from './text-input';

export interface EmbedBody {
  texts: string[];
  /** `text` was sent: the answer still lists one embedding. */
  single: boolean;
  /** Total code points over all texts (the unit of the price). */
  chars: number;
}

export interface EmbedLimits {
  maxTexts: number;
  /** Per text. */
  maxChars: number;
  /** All texts together. */
  maxTotalChars: number;
}

const codePoints = (s: string, stopAfter: number) => {
  let n = 0;
  for (const _ of s) if (++n > stopAfter) break;
  return n;
};

export function readEmbedBody(body: JsonObject, limits: EmbedLimits): EmbedBody {
  const hasText = body.text !== undefined && body.text !== null;
  const hasTexts = body.texts !== undefined && body.texts !== null;
  if (hasText && hasTexts) throw badRequest('Send either `texts` (a list of strings) or `text` (one string), not both.', { code: 'invalid_parameter', param: 'texts' });
  if (!hasText && !hasTexts) throw badRequest('`texts` is required: a list of strings to embed, e.g. {"texts": ["Hello world"]}.', { code: 'missing_parameter', param: 'texts' });
  const param = hasText ? 'text' : 'texts';
  const raw = hasText ? [body.text] : body.texts;
  if (!Array.isArray(raw)) throw badRequest('`texts` must be a list of strings.', { code: 'invalid_parameter', param });
  if (raw.length === 0) throw badRequest('`texts` is empty: send at least one string.', { code: 'invalid_parameter', param });
  if (raw.length > limits.maxTexts) {
    throw payloadTooLarge(`\`texts\` has ${raw.length} items; at most ${limits.maxTexts} are embedded per request.`, { code: 'too_many_texts', param, limit: limits.maxTexts });
  }
  let chars = 0;
  raw.forEach((t, i) => {
    const name = hasText ? '`text`' : `\`texts[${i}]\``;
    if (typeof t !== 'string') throw badRequest(`${name} must be a string.`, { code: 'invalid_parameter', param });
    if (t.trim() === '') throw badRequest(`${name} is empty.`, { code: 'invalid_parameter', param });
    const n = codePoints(t, limits.maxChars);
    if (n > limits.maxChars) {
      throw payloadTooLarge(`${name} is longer than ${limits.maxChars.toLocaleString('en-US')} characters, the per-text limit of this endpoint (the model reads only the first 256 word pieces anyway).`, {
        code: 'text_too_long',
        param,
        limit: limits.maxChars,
      });
    }
    chars += n;
    if (chars > limits.maxTotalChars) {
      throw payloadTooLarge(`\`texts\` add up to more than ${limits.maxTotalChars.toLocaleString('en-US')} characters, the limit of this endpoint.`, { code: 'text_too_long', param, limit: limits.maxTotalChars });
    }
  });
  return { texts: raw as string[], single: hasText, chars };
}
