/**
 * Structured output for the text steps (analyze, generate's flashcards/quiz/chapters, …): the JSON
 * schema becomes a llama.cpp grammar inside the runtime, so the model can only emit text that parses
 * as JSON of that shape. Parsing here is the check that this held; a cut-off output (maxTokens hit
 * mid-object) is the one way to get invalid JSON, and it is reported as such, never patched up.
 *
 * Schemas are the subset llama.cpp grammars support (node-llama-cpp's GbnfJsonSchema): object with
 * properties (all required), array with items (minItems/maxItems), string (enum, format), number,
 * integer, boolean, null, anyOf, const.
 */
import type { GenerateHooks, GenerateRequest, GenerateResult, LlmModel } from './types';

export class StructuredOutputError extends Error {}

export async function generateJson<T>(
  model: LlmModel,
  req: Omit<GenerateRequest, 'jsonSchema'>,
  schema: object,
  hooks?: GenerateHooks,
): Promise<{ value: T; result: GenerateResult }> {
  const result = await model.generate({ ...req, jsonSchema: schema }, hooks);
  if (result.stopReason === 'maxTokens') throw new StructuredOutputError(`structured output cut off at ${result.outputTokens} tokens (raise maxTokens)`);
  try {
    return { value: JSON.parse(result.text) as T, result };
  } catch {
    throw new StructuredOutputError('structured output is not valid JSON');
  }
}
