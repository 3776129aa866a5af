/**
 * Structured outputs the LLM bench checks for JSON validity: the production schemas and prompts of
 * /v1/generate's quiz and flashcards (lib/llm/generation-schemas.ts, generation-prompts.ts), and two
 * analyze-like shapes (sentiment, entities) in the grammar subset lib/llm/json-schema.ts documents.
 * Bounded lists and strings, so an output fits its token budget; a cut-off output counts as invalid.
 */
import { structuredRequest } from '../lib/llm/generation-prompts';
import { modelSchema } from '../lib/llm/generation-schemas';
import type { GenerateRequest } from '../lib/llm/types';

export interface BenchSchema {
  name: string;
  schema: object;
  request(text: string): Omit<GenerateRequest, 'jsonSchema'>;
}

const SYSTEM = 'You extract structured information from meeting transcripts. Use only what the text says. Answer with JSON only.';
const str = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const list = (items: object, maxItems: number, minItems = 0) => ({ type: 'array', items, minItems, maxItems });
const ask = (task: string, text: string, maxTokens: number) => ({ system: SYSTEM, prompt: `${task}\n\nTranscript:\n"""\n${text}\n"""`, maxTokens });

export const BENCH_SCHEMAS: BenchSchema[] = [
  {
    name: 'sentiment',
    schema: {
      type: 'object',
      properties: { sentiment: { enum: ['positive', 'neutral', 'negative', 'mixed'] }, score: { type: 'number' }, reason: str(200) },
    },
    request: (t) => ask('Rate the overall sentiment of this meeting: sentiment, a score from -1 (very negative) to 1 (very positive), and a one-sentence reason.', t, 120),
  },
  {
    name: 'entities',
    schema: {
      type: 'object',
      properties: { people: list(str(60), 8), places: list(str(60), 8), organizations: list(str(80), 8), amounts: list(str(40), 8), dates: list(str(40), 8) },
    },
    request: (t) => ask('List the named entities in this transcript: people, places, organizations, money amounts and dates, each as written in the text.', t, 300),
  },
  { name: 'generate:quiz', schema: modelSchema('quiz'), request: (t) => structuredRequest('quiz', t) },
  { name: 'generate:flashcards', schema: modelSchema('flashcards'), request: (t) => structuredRequest('flashcards', t) },
];
