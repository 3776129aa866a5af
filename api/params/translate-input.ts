/**
 * The body of POST /v1/translate: `text` (one string) or `texts` (a list, the batch form) — exactly
 * one of them — `target` (required) and `source` (default "en"). `translateBody` is the schema
 * /openapi.json publishes and the route parses with; texts are then bounded in number and in total
 * characters (the unit of the price, limits from the configuration); every rejection says what
 * would be accepted.
 */
import { z } from 'zod';
import { payloadTooLarge } from '../errors';
import { report } from '../openapi/validate';
import { charsWithin, nonBlank } from './text-input';
import { webhookFields } from './webhook';

const code = (name: 'source' | 'target', what: string) =>
  z.string({ error: `\`${name}\` must be a language code string such as "es".` }).nullish().describe(what);

export const translateBody = z
  .object({
    text: nonBlank().nullish().describe('One text (or `texts`).'),
    texts: z.array(nonBlank(), { error: '`texts` must be a list of strings.' }).min(1, { error: '`texts` is empty: send at least one string.' }).nullish().describe('A batch of texts (at most VOXFLOW_TRANSLATE_MAX_TEXTS).'),
    source: code('source', 'Default en.'),
    target: code('target', 'Required: the language to translate into (an empty or missing target is answered with the supported ones).'),
    ...webhookFields,
  })
  .superRefine((b, ctx) => {
    const hasText = b.text !== undefined && b.text !== null;
    const hasTexts = b.texts !== undefined && b.texts !== null;
    if (hasText && hasTexts) report(ctx, 'Send either `text` (one string) or `texts` (a list of strings), not both.', ['texts']);
    if (!hasText && !hasTexts) report(ctx, '`text` (one string) or `texts` (a list of strings) is required: the text to translate.', ['text'], { code: 'missing_parameter' });
  });

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

/** The parsed body within this server's limits. */
export function translateTexts(body: z.output<typeof translateBody>, limits: { maxChars: number; maxTexts: number }): TranslateBody {
  let texts: string[];
  let chars: number;
  const batch = body.texts !== undefined && body.texts !== null;
  if (!batch) {
    texts = [body.text as string];
    chars = charsWithin(texts[0], limits.maxChars);
  } else {
    texts = body.texts as string[];
    if (texts.length > limits.maxTexts) {
      throw payloadTooLarge(`\`texts\` has ${texts.length} items; at most ${limits.maxTexts} are translated per request.`, { code: 'too_many_texts', param: 'texts', limit: limits.maxTexts });
    }
    chars = 0;
    for (const t of texts) {
      chars += codePoints(t, limits.maxChars);
      if (chars > limits.maxChars) {
        throw payloadTooLarge(`\`texts\` add up to more than ${limits.maxChars.toLocaleString('en-US')} characters, the limit of this endpoint.`, { code: 'text_too_long', param: 'texts', limit: limits.maxChars });
      }
    }
  }
  // An empty code is no code: `target: ""` is answered like a missing target (with the list).
  const lang = (v: string | null | undefined) => v?.trim().toLowerCase() || undefined;
  return { texts, batch, chars, source: lang(body.source) ?? 'en', target: lang(body.target) };
}
