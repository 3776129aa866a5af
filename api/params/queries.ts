/**
 * Query and path parameters of the read routes, as the schemas /openapi.json publishes and the
 * routes parse with (api/openapi/route.ts). Bounds only the configuration knows (search's `limit`
 * and `q` length) are checked by the route after parsing.
 */
import { z } from 'zod';
import { CONTENT_TYPES as TRANSCRIPT_TYPES } from '../../lib/transcript/formats';
import { JOB_STATUSES } from '../openapi/vocab';

const once = (name: string) => `Give \`${name}\` once.`;

export const jobIdParams = z.object({ id: z.string().describe('A job id (as returned when the job was submitted).') });
export const idParams = z.object({ id: z.string() });
export const assetParams = z.object({ asset: z.string() });

export const languagesQuery = z.object({ task: z.enum(['transcribe', 'translate']).optional().describe('Default transcribe.') });

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json', 'csv', 'docx', 'pdf'] as const;
export const exportParams = jobIdParams.extend({
  format: z.enum(EXPORT_FORMATS, { error: `Export format must be one of ${EXPORT_FORMATS.join(', ')}.` }),
});

const sinceDate = z
  .string({ error: once('since') })
  // Dates JavaScript accepts but Temporal's visibility store cannot compare (year 275760, year 0) are refused too.
  .refine((v) => {
    const d = new Date(v);
    return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999;
  }, '`since` must be an ISO 8601 date between 1970 and 9999.')
  .describe('ISO 8601 date: jobs created at or after it.');

export const transcriptsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  language: z.string().regex(/^[a-z]{2,3}$/, '`language` must be an ISO 639-1 code such as `en`.').optional(),
  since: sinceDate.optional(),
  page_size: z.coerce.number({ error: '`page_size` must be a whole number from 1 to 100.' }).int('`page_size` must be a whole number from 1 to 100.').min(1, '`page_size` must be a whole number from 1 to 100.').max(100, '`page_size` must be a whole number from 1 to 100.').optional().describe('Default 20.'),
  page_token: z.string({ error: once('page_token') }).optional(),
});

const Q_REQUIRED = '`q` is required: what to search for, e.g. ?q=lisbon+lease.';
export const searchQuery = z.object({
  q: z
    .string({ error: (iss) => (iss.input === undefined ? Q_REQUIRED : once('q')) })
    .trim()
    .refine((v) => v !== '', { error: Q_REQUIRED, params: { code: 'missing_parameter' } })
    .describe('What to search for (at most VOXFLOW_CHAT_MAX_QUESTION_CHARS characters).'),
  // Its range is the configuration's (VOXFLOW_SEARCH_MAX_LIMIT): the route checks it, naming the bound.
  limit: z.string({ error: once('limit') }).optional().describe('Results: a whole number from 1 to VOXFLOW_SEARCH_MAX_LIMIT (default 10).'),
});

export const jobResultQuery = z.object({
  step: z.string({ error: once('step') }).optional().describe('A recipe step whose stored result to send.'),
  format: z.enum(Object.keys(TRANSCRIPT_TYPES) as [string, ...string[]]).optional().describe('How to render a transcript (default json).'),
});
