/**
 * The body of POST /v1/embed: `texts` (a list of strings, the contract's form) or `text` (one string)
 * — exactly one. `embedBody` is the schema /openapi.json publishes and the route parses with; the
 * bounds only the configuration knows come after: 413 for too many texts, a text over the per-text
 * limit, or a total over VOXFLOW_TEXT_MAX_CHARS (the same codes as /v1/translate's batch). Each
 * rejection names the limit.
 */
import { z } from 'zod';
import { payloadTooLarge } from '../errors';
import { report } from '../openapi/validate';
import { nonBlank } from './text-input';
import { webhookFields } from './webhook';

export const embedBody = z
  .object({
    texts: z.array(nonBlank(), { error: '`texts` must be a list of strings.' }).min(1, { error: '`texts` is empty: send at least one string.' }).nullish().describe('The texts to embed (at most VOXFLOW_EMBED_MAX_TEXTS).'),
    text: nonBlank().nullish().describe('One text instead of `texts`.'),
    ...webhookFields,
  })
  .superRefine((b, ctx) => {
    const hasText = b.text !== undefined && b.text !== null;
    const hasTexts = b.texts !== undefined && b.texts !== null;
    if (hasText && hasTexts) report(ctx, 'Send either `texts` (a list of strings) or `text` (one string), not both.', ['texts']);
    if (!hasText && !hasTexts) report(ctx, '`texts` is required: a list of strings to embed, e.g. {"texts": ["Hello world"]}.', ['texts'], { code: 'missing_parameter' });
  });

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

/** The parsed body within this server's limits. */
export function embedTexts(body: z.output<typeof embedBody>, limits: EmbedLimits): EmbedBody {
  const single = body.text !== undefined && body.text !== null;
  const param = single ? 'text' : 'texts';
  const raw = single ? [body.text as string] : (body.texts as string[]);
  if (raw.length > limits.maxTexts) {
    throw payloadTooLarge(`\`texts\` has ${raw.length} items; at most ${limits.maxTexts} are embedded per request.`, { code: 'too_many_texts', param, limit: limits.maxTexts });
  }
  let chars = 0;
  raw.forEach((t, i) => {
    const name = single ? '`text`' : `\`texts[${i}]\``;
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
  return { texts: raw, single, chars };
}
