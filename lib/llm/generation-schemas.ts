/**
 * The structured generation types (flashcards, quiz, chapter_markers, key_quotes): what the model
 * is constrained to emit (JSON schemas turned into llama.cpp grammars, so output always parses) and
 * what the API returns (zod schemas the final content is validated against before it is stored).
 *
 * The model-side shapes are bounded (items and string lengths) so a generation cannot run past its
 * output budget; they carry only what the model decides. What the text itself can answer exactly
 * (a quote's speaker and time, a chapter's real start) is filled in afterwards from the text.
 */
import { z } from 'zod';

export const STRUCTURED_TYPES = ['flashcards', 'quiz', 'chapter_markers', 'key_quotes'] as const;
export type StructuredType = (typeof STRUCTURED_TYPES)[number];
export const isStructured = (t: string): t is StructuredType => (STRUCTURED_TYPES as readonly string[]).includes(t);

const str = (maxLength: number, minLength = 1) => ({ type: 'string', minLength, maxLength }) as const;
const list = (items: object, maxItems: number, minItems = 1) => ({ type: 'array', items, minItems: Math.min(minItems, maxItems), maxItems }) as const;

/** Items per generation (one text, or one chunk of a long one). */
export const MAX_ITEMS: Record<StructuredType, number> = { flashcards: 6, quiz: 4, chapter_markers: 6, key_quotes: 5 };

/** The grammar the model writes under, with at most `maxItems` entries (smaller when a first try was cut off). */
export function modelSchema(type: StructuredType, maxItems = MAX_ITEMS[type]): object {
  switch (type) {
    case 'flashcards':
      // At least three cards (two questions below): asked for "3 to 6", the 0.5B stopped after one.
      return { type: 'object', properties: { cards: list({ type: 'object', properties: { front: str(120), back: str(200) } }, maxItems, 3) } };
    case 'quiz':
      return {
        type: 'object',
        properties: {
          questions: list(
            {
              type: 'object',
              properties: {
                question: str(150),
                options: { type: 'array', items: str(80), minItems: 4, maxItems: 4 },
                answer_index: { enum: [0, 1, 2, 3] },
                explanation: str(150, 0),
              },
            },
            maxItems,
            2,
          ),
        },
      };
    case 'chapter_markers':
      // Title first: the 0.5B names the topic, then finds where it is first brought up (time first, it lists consecutive
      // lines). `time` is copied from the transcript's `[mm:ss]` line prefixes, then snapped to a real segment start.
      return { type: 'object', properties: { chapters: list({ type: 'object', properties: { title: str(60), time: str(9, 4) } }, maxItems) } };
    case 'key_quotes':
      return { type: 'object', properties: { quotes: list({ type: 'object', properties: { quote: str(240, 10) } }, maxItems) } };
  }
}

/** What the model's JSON holds, per type (parsed under the grammar above). */
export interface ModelOutput {
  flashcards: { cards: Array<{ front: string; back: string }> };
  quiz: { questions: Array<{ question: string; options: string[]; answer_index: number; explanation: string }> };
  chapter_markers: { chapters: Array<{ title: string; time: string }> };
  key_quotes: { quotes: Array<{ quote: string }> };
}

// ---- What the API returns in `content` (the contract of each structured type). ----

const text = z.string().trim().min(1);

export const flashcardSchema = z.object({ front: text, back: text }).strict();
export const quizQuestionSchema = z
  .object({
    question: text,
    options: z.array(text).length(4),
    answer_index: z.number().int().min(0).max(3),
    explanation: text.optional(),
  })
  .strict();
export const chapterMarkerSchema = z
  .object({
    /** Seconds from the start of the audio: a real segment start. */
    start: z.number().int().min(0),
    /** The same as a clock, `mm:ss` (`h:mm:ss` from an hour on). */
    time: z.string().regex(/^(?:\d+:)?\d{2}:\d{2}$/),
    title: text,
  })
  .strict();
export const keyQuoteSchema = z
  .object({
    /** Verbatim from the input. */
    quote: text,
    speaker: text.optional(),
    /** `mm:ss` of the transcript line the quote is on (transcripts only). */
    time: z.string().regex(/^(?:\d+:)?\d{2}:\d{2}$/).optional(),
  })
  .strict();

export type Flashcard = z.infer<typeof flashcardSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export type ChapterMarker = z.infer<typeof chapterMarkerSchema>;
export type KeyQuote = z.infer<typeof keyQuoteSchema>;

export const CONTENT_SCHEMAS = {
  flashcards: z.array(flashcardSchema).min(1),
  quiz: z.array(quizQuestionSchema).min(1),
  chapter_markers: z
    .array(chapterMarkerSchema)
    .min(1)
    .refine((cs) => cs.every((c, i) => i === 0 || c.start > cs[i - 1].start), 'chapter starts must increase strictly'),
  // Empty is a truthful answer: no sentence of the text was a quote the model picked.
  key_quotes: z.array(keyQuoteSchema),
} as const;

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The model's cards as content: trimmed, empty ones dropped. */
export function toFlashcards(out: ModelOutput['flashcards']): Flashcard[] {
  return out.cards.map((c) => ({ front: c.front.trim(), back: c.back.trim() })).filter((c) => c.front && c.back && norm(c.front) !== norm(c.back));
}

/**
 * The model's questions as content. A question is kept only when it can be answered: four distinct
 * non-empty options (the grammar guarantees four, not that they differ) and a question text.
 */
export function toQuiz(out: ModelOutput['quiz']): QuizQuestion[] {
  const kept: QuizQuestion[] = [];
  for (const q of out.questions) {
    const options = q.options.map((o) => o.trim());
    if (!q.question.trim() || options.some((o) => !o) || new Set(options.map(norm)).size !== 4) continue;
    const explanation = q.explanation.trim();
    kept.push({ question: q.question.trim(), options, answer_index: q.answer_index, ...(explanation ? { explanation } : {}) });
  }
  return kept;
}
