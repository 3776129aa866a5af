/**
 * The JSON bodies of the one-text LLM endpoints (summarize, analyze, generate, and their stored
 * transcript variants, chat): the schemas /openapi.json publishes and the routes parse with
 * (api/openapi/route.ts). Bounds only the configuration knows are checked after (`charsWithin`).
 */
import { z } from 'zod';
import { ANALYSIS_TYPES, GENERATION_TYPES, SUMMARY_STYLES } from '../../workflows/model';
import { textField } from './text-input';
import { webhookFields } from './webhook';

export const summarizeBody = z.object({
  text: textField(),
  style: z.enum(SUMMARY_STYLES).nullish().describe('Default brief.'),
  ...webhookFields,
});

export const analyzeBody = z.object({ text: textField(), type: z.enum(ANALYSIS_TYPES), ...webhookFields });
export const generateBody = z.object({ text: textField(), type: z.enum(GENERATION_TYPES), ...webhookFields });

export const transcriptAnalyzeBody = z.object({ type: z.enum(ANALYSIS_TYPES), ...webhookFields });
export const transcriptGenerateBody = z.object({ type: z.enum(GENERATION_TYPES), ...webhookFields });

export const chatBody = z.object({
  question: textField('The question (at most VOXFLOW_CHAT_MAX_QUESTION_CHARS characters).'),
  session_id: z.string({ error: '`session_id` must be a string (from an earlier answer).' }).nullish().describe('Continues a conversation (from an earlier answer); a new one when absent.'),
  ...webhookFields,
});
