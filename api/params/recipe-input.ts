/**
 * POST /v1/jobs bodies: `recipeBody` (JSON: text or a stored transcript) and `recipeForm`
 * (multipart: a file), the schemas /openapi.json publishes and the route parses with. The chain in
 * them (`steps` or `preset`) is then validated against what each step needs and produces on this
 * server (api/params/recipe.ts, workflows/recipe-steps.ts).
 */
import { z } from 'zod';
import { PRESET_NAMES } from '../../workflows/recipe-steps';
import { report } from '../openapi/validate';
import { nonBlank } from './text-input';
import { webhookFields } from './webhook';

const STEPS_WORDS = 'A list of steps, each a name (`"transcribe"`) or an object with `step` and its parameters (`{"step": "summarize", "style": "brief"}`); README lists the steps.';
const PRESET_WORDS = `A named chain instead of \`steps\`: ${PRESET_NAMES.join(', ')}.`;

export const recipeBody = z
  .object({
    steps: z.array(z.union([z.string(), z.looseObject({ step: z.string() })])).nullish().describe(STEPS_WORDS),
    preset: z.string().nullish().describe(PRESET_WORDS),
    text: nonBlank().nullish().describe('The text the chain works on (at most VOXFLOW_TEXT_MAX_CHARS characters), or `transcript_id`.'),
    transcript_id: z.string().nullish().describe('One of your transcription jobs: its transcript is the input.'),
    ...webhookFields,
  })
  .superRefine((b, ctx) => {
    const hasText = b.text !== undefined && b.text !== null;
    const hasTranscript = b.transcript_id !== undefined && b.transcript_id !== null;
    if (hasText === hasTranscript) {
      report(ctx, `Send either \`text\` or \`transcript_id\` (or a file, as multipart/form-data)${hasText ? ', not both' : ''}.`, ['text'], hasText ? {} : { code: 'missing_parameter' });
    }
  });

export const recipeForm = z.object({
  file: z.file().describe('Audio or video (format decided by content).'),
  steps: z.string().optional().describe(`JSON text of \`steps\`: ${STEPS_WORDS}`),
  preset: z.string().optional().describe(PRESET_WORDS),
  async: z.string().optional().describe('`true`: like `Prefer: respond-async`.'),
  ...webhookFields,
});
