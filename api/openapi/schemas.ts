/**
 * Response bodies the API sends, as zod schemas (the OpenAPI document's, and the API tests validate
 * real answers against them). Objects stay open (`looseObject`) where other fields may be added
 * without breaking clients; what the contract promises is required.
 */
import { z } from 'zod';
import { JOB_STATUSES } from './vocab';

export const word = z.looseObject({ word: z.string(), start: z.number(), end: z.number(), probability: z.number().optional(), speaker: z.string().optional() });

export const transcript = z.looseObject({
  text: z.string(),
  language: z.string().describe('ISO 639-1 code.'),
  language_probability: z.number().optional().describe('When the language was detected.'),
  duration: z.number().describe('Seconds of decoded audio.'),
  segments: z.array(
    z.looseObject({ start: z.number(), end: z.number(), text: z.string(), speaker: z.string().optional(), confidence: z.number(), words: z.array(word) }),
  ),
  speakers: z.array(z.string()),
  model: z.string().describe('The model that ran (never silently substituted).'),
});

export const jobAccepted = z.looseObject({
  id: z.string(),
  object: z.literal('job'),
  recipe: z.string(),
  status: z.enum(JOB_STATUSES),
  status_url: z.string(),
});

const step = z.looseObject({
  name: z.string(),
  status: z.string(),
  progress: z.number(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

export const jobView = z.looseObject({
  id: z.string(),
  object: z.literal('job'),
  recipe: z.string(),
  status: z.enum(JOB_STATUSES),
  created_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  progress: z.number().min(0).max(1),
  steps: z.array(step),
  result: z.looseObject({}).nullable(),
  error: z.looseObject({ type: z.string(), message: z.string() }).nullable(),
  links: z.looseObject({ self: z.string() }),
});

export const modelList = z.looseObject({
  models: z.array(z.looseObject({ id: z.string(), name: z.string(), type: z.string(), installed: z.boolean() })),
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })),
});

export const openAiModel = z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() });

export const languages = z.looseObject({ languages: z.array(z.looseObject({ code: z.string(), name: z.string() })) });

export const health = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  error: z.string().optional(),
  gpu_available: z.boolean(),
  temporal: z.looseObject({ reachable: z.boolean() }),
  storage: z.looseObject({ reachable: z.boolean() }),
  workers: z.looseObject({}),
});

export const account = z.looseObject({
  id: z.string(),
  plan: z.string(),
  credits: z.number(),
  email: z.string().nullable(),
  preferences: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const apiKey = z.looseObject({ id: z.string(), name: z.string() });

export const jobList = z.looseObject({
  jobs: z.array(z.looseObject({ id: z.string(), status: z.string(), created_at: z.string().nullable() })),
  next_page_token: z.string().nullable(),
});

export const binary = z.string().describe('Binary content.');
export const text = z.string();
