/**
 * What the model is asked per analysis type, for one chunk of text. Short prompts (prompt
 * evaluation is the cost on a CPU) with a worked example where the 0.5B needs a format shown
 * rather than described. The JSON shape itself is enforced by the grammar (analysis-schemas.ts).
 */
import type { GenerateRequest } from './types';
import type { Commitment } from './analysis-actions';
import { ENTITIES_SCHEMA, TOPICS_SCHEMA, actionsSchema, questionsSchema, sentimentSchema } from './analysis-schemas';

const SYSTEM = 'You analyze meeting and call transcripts. Use only what the text says; never invent names, numbers or dates. Answer with JSON only.';

const quoted = (label: string, text: string) => `${label}:\n"""\n${text}\n"""`;

export interface ChunkRequest {
  req: Omit<GenerateRequest, 'jsonSchema'>;
  schema: object;
}

export function sentimentRequest(chunk: string, speakers: string[]): ChunkRequest {
  const per = speakers.length ? ` and the sentiment of each speaker (${speakers.join(', ')})` : '';
  return {
    req: {
      system: SYSTEM,
      prompt: `Rate the sentiment of this text: overall positive, neutral, negative or mixed, a score from -1 (very negative) to 1 (very positive)${per}.\n\n${quoted('Text', chunk)}`,
      maxTokens: 48 + 12 * speakers.length,
    },
    schema: sentimentSchema(speakers),
  };
}

export function topicsRequest(chunk: string): ChunkRequest {
  return {
    req: {
      system: SYSTEM,
      prompt: `List the main topics discussed in this text, in order, at most 5. For each: a short topic name (2 to 5 words) and a one-sentence summary with its key names and numbers.\n\n${quoted('Text', chunk)}`,
      maxTokens: 420,
    },
    schema: TOPICS_SCHEMA,
  };
}

const ENTITY_EXAMPLE = `Example text: "Maria Lopez from Acme Corp will call Tom from the office in Denver on May 3 about the 2,000 dollars."
Example answer: {"people": ["Maria Lopez", "Tom"], "places": ["Denver"], "organizations": ["Acme Corp"], "other": [{"text": "May 3", "type": "date"}, {"text": "2,000 dollars", "type": "money"}]}`;

/** Entities of a chunk's words (without "[mm:ss] Speaker:" prefixes: speakers are added by rule). pii_redact uses its people and places. */
export function entitiesRequest(chunk: string): ChunkRequest {
  return {
    req: {
      system: SYSTEM,
      prompt: `List the people, places (cities, countries, offices), organizations and other entities (dates, money amounts, products) in the text, each exactly as written.\n\n${ENTITY_EXAMPLE}\n\n${quoted('Text', chunk)}`,
      maxTokens: 640,
    },
    schema: ENTITIES_SCHEMA,
  };
}

const ACTION_EXAMPLE = `Example lines:
1. Anna: Ben, can you fix the login bug?
2. Ben: Sure, I will fix the login bug by Monday.
3. Anna: I'll update the user guide.
Example answer: {"1": {"owner": "Ben", "task": "fix the login bug", "due": "Monday"}, "2": {"owner": "Ben", "task": "fix the login bug", "due": "Monday"}, "3": {"owner": "Anna", "task": "update the user guide", "due": null}}`;

/** The commitment sentences (analysis-actions.ts), numbered; owners decided by rule are fixed in the grammar. */
export function actionItemsRequest(lines: Commitment[]): ChunkRequest {
  const list = lines.map((c, i) => `${i + 1}. ${c.line}`).join('\n');
  return {
    req: {
      system: SYSTEM,
      prompt: `Each line is a commitment from a meeting. For each line give the owner (the person who will do the task), the task as a short phrase starting with a verb, and the deadline that was said (or null).\n\n${ACTION_EXAMPLE}\n\nLines:\n${list}`,
      maxTokens: 24 + 60 * lines.length,
    },
    schema: actionsSchema(lines.map((c) => (c.owner ? [c.owner] : c.candidates))),
  };
}

/** Whether the text answers each of the questions found in it (numbered Q1…Qn). */
export function questionsRequest(chunk: string, questions: string[]): ChunkRequest {
  const list = questions.map((q, i) => `Q${i + 1}: ${q}`).join('\n');
  return {
    req: {
      system: SYSTEM,
      prompt: `${quoted('Text', chunk)}\n\nFor each question asked in the text, answer true if someone in the text answers it, false if nobody does.\n\n${list}`,
      maxTokens: 16 + 8 * questions.length,
    },
    schema: questionsSchema(questions.length),
  };
}
