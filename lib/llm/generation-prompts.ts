/**
 * What the model is asked for each generation type. Prompts are short (prompt evaluation is the
 * cost on a CPU) and name the facts readers look for, because small models otherwise keep the gist
 * and drop exactly those. Output budgets bound each type's time; with the instructions they stay
 * inside the 768 tokens the configuration reserves beside a chunk (lib/config.ts).
 */
import type { GenerationType } from '../../workflows/model';
import { MAX_ITEMS, type StructuredType } from './generation-schemas';
import type { GenerateRequest } from './types';

export type ProseType = Exclude<GenerationType, StructuredType>;

const SYSTEM =
  'You are a precise writing assistant that turns transcripts and documents into other formats. Use only facts stated in the text. Never invent names, numbers, dates, links or quotes. Write in the language of the text.';

const KEEP = 'Keep the names, amounts, numbers, dates and places from the text.';

const PROSE_TASK: Record<ProseType, string> = {
  blog_post: `Write a blog post in Markdown based on the text: a "# " title, a short introduction, two or three "## " sections and a short conclusion. ${KEEP}`,
  social_media: `Write three social media posts about the text in Markdown: "### X" (at most 280 characters), "### LinkedIn" (2 to 4 sentences) and "### Instagram" (2 sentences and 3 hashtags). Each post states a concrete fact from the text.`,
  newsletter: `Write a newsletter issue in Markdown about the text: a "# " headline, a one-paragraph introduction, a "## " section for each main point and a one-line sign-off. ${KEEP}`,
  show_notes: `Write show notes in Markdown for this episode: "## Summary" (2 or 3 sentences), "## Topics" (one "- " line per topic, starting with its [mm:ss] time when the text has times) and "## Mentioned" (the people, companies and places named). ${KEEP}`,
  meeting_notes: `Write meeting notes in Markdown with these sections: "## Summary" (2 or 3 sentences), "## Decisions" (a "- " list) and "## Action items" (one "- Owner: task (deadline)" line per task). ${KEEP}`,
  study_guide: `Write a study guide in Markdown for the text: "## Key points" (a "- **term**: explanation" list), "## Summary" (one paragraph) and "## Review questions" (3 to 5 questions). ${KEEP}`,
};

/** Output tokens per type: a social post is short by definition, a blog post needs room. */
export const OUTPUT_TOKENS: Record<GenerationType, number> = {
  blog_post: 600,
  social_media: 300,
  newsletter: 500,
  show_notes: 450,
  meeting_notes: 450,
  study_guide: 500,
  // Structured: room for MAX_ITEMS entries at their longest typical length (generation-schemas.ts bounds the strings).
  flashcards: 560,
  quiz: 600,
  chapter_markers: 360,
  key_quotes: 500,
};

const quoted = (label: string, text: string) => `${label}:\n"""\n${text}\n"""`;

/** A prose type over the whole text, or (long texts) over notes on its consecutive parts. */
export function proseRequest(type: ProseType, text: string, fromNotes = false): GenerateRequest {
  const source = fromNotes ? 'These are notes on consecutive parts of one long text, in order. Base your answer on all of them.\n\n' : '';
  return { system: SYSTEM, prompt: `${source}${PROSE_TASK[type]}\n\n${quoted(fromNotes ? 'Notes' : 'Text', text)}`, maxTokens: OUTPUT_TOKENS[type] };
}

const STRUCTURED_TASK: Record<StructuredType, (n: number) => string> = {
  flashcards: (n) =>
    `Make ${Math.min(3, n)} to ${n} flashcards, one per fact in the text (names, numbers, dates, places, decisions). Each card has a "front" (a short question) and a "back" (its short answer, from the text).`,
  // "Short options of the same kind": told only "4 different options", the 0.5B wrote the answer four times, each longer.
  quiz: (n) =>
    `Write up to ${n} multiple-choice questions about the facts in the text. Each question has 4 short "options" of the same kind (for example four dates or four names): the correct answer from the text and three wrong ones. "answer_index" is the position of the correct option (0 is the first) and "explanation" says in one sentence why it is correct.`,
  // Asked as topics in order, each with the line that first brings it up: asked for "chapters where the topic
  // changes", the 0.5B listed the first few lines' times.
  chapter_markers: (n) =>
    `List the topics of this transcript in order, 2 to ${n} topics. For each topic give "title": a short title of 2 to 6 words, and "time": the time in brackets of the line where that topic is first brought up.`,
  key_quotes: (n) => `Pick up to ${n} of the most important or striking sentences in the text and copy each one exactly, word for word, as "quote".`,
};

/** One structured generation over a text (or one chunk of it), with at most `maxItems` entries. */
export function structuredRequest(type: StructuredType, text: string, maxItems = MAX_ITEMS[type]): GenerateRequest {
  return { system: SYSTEM, prompt: `${STRUCTURED_TASK[type](maxItems)}\n\n${quoted(type === 'chapter_markers' ? 'Transcript' : 'Text', text)}`, maxTokens: OUTPUT_TOKENS[type] };
}
