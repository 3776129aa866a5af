/**
 * The body of POST /v1/translate: `text` (one string) or `texts` (a list, the batch form) — exactly
 * one of them — `target` (required) and `source` (default "en"). Texts are bounded in number and
 * in total characters (the unit of the price); every rejection says what would be accepted.
 */
import { badRequest, payloadTooLarge } from '../errors';
import { requireText, type JsonObject } from './text-input';

export interface TranslateBody {
  texts: string[];
  batch: boolean;
  /** Total code points over all texts. */
  chars: number;
  source: string;
  /** Undefined when absent: the caller answers with the supported targets. */
  target?: string;
}

const codePoints = (s: string, stopAfter: number) => {
  let n = 0;
  for (const _ of s) if (++n > stopAfter) break;
  return n;
};

export function readTranslateBody(body: JsonObject, limits: { maxChars: number; maxTexts: number }): TranslateBody {
  const hasText = body.text !== undefined && body.text !== null;
  const hasTexts = body.texts !== undefined && body.texts !== null;
  if (hasText && hasTexts) throw badRequest('Send either `text` (one string) or `texts` (a list of strings), not both.', { code: 'invalid_parameter', param: 'texts' });
  if (!hasText && !hasTexts) throw badRequest('`text` (one string) or `texts` (a list of strings) is required: the text to translate.', { code: 'missing_parameter', param: 'text' });

  let texts: string[];
  let chars: number;
  if (hasText) {
    const one = requireText(body, limits.maxChars);
    texts = [one.text];
    chars = one.chars;
  } else {
    const v = body.texts;
    if (!Array.isArray(v)) throw badRequest('`texts` must be a list of strings.', { code: 'invalid_parameter', param: 'texts' });
    if (v.length === 0) throw badRequest('`texts` is empty: send at least one string.', { code: 'invalid_parameter', param: 'texts' });
    if (v.length > limits.maxTexts) {
      throw payloadTooLarge(`\`texts\` has ${v.length} items; at most ${limits.maxTexts} are translated per request.`, { code: 'too_many_texts', param: 'texts', limit: limits.maxTexts });
    }
    chars = 0;
    v.forEach((t, i) => {
      if (typeof t !== 'string') throw badRequest(`\`texts[${i}]\` must be a string.`, { code: 'invalid_parameter', param: 'texts' });
      if (t.trim() === '') throw badRequest(`\`texts[${i}]\` is empty.`, { code: 'invalid_parameter', param: 'texts' });
      chars += codePoints(t, limits.maxChars);
      if (chars > limits.maxChars) {
        throw payloadTooLarge(`\`texts\` add up to more than ${limits.maxChars.toLocaleString('en-US')} characters, the limit of this endpoint.`, { code: 'text_too_long', param: 'texts', limit: limits.maxChars });
      }
    });
    texts = v as string[];
  }

  const source = optionalCode(body, 'source') ?? 'en';
  const target = optionalCode(body, 'target');
  return { texts, batch: hasTexts, chars, source, target };
}

function optionalCode(body: JsonObject, name: 'source' | 'target'): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`\`${name}\` must be a language code string such as "es".`, { code: 'invalid_parameter', param: name });
  // An empty code is no code: `target: ""` is answered like a missing target (with the list).
  return v.trim().toLowerCase() || undefined;
}
