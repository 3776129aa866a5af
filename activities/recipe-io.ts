/**
 * The glue between a recipe's steps (control queue, cheap I/O): a transcript becomes the text the
 * text steps read, or the list of its segments a translation keeps aligned, and a (translated)
 * transcript becomes subtitles. Everything goes through storage; the workflow gets keys and counts.
 */
import { text as readText } from 'node:stream/consumers';
import { transcriptPromptText } from '../lib/transcript/prompt-text';
import { toSrt, toVtt } from '../lib/transcript/formats';
import { textUnits } from '../lib/embeddings/text-units';
import type { Transcript } from '../lib/transcript/types';
import type { ActivityDeps } from './deps';
import { reserveOrFail, type CreditRef } from './credits';
import { textCredits } from '../workflows/pricing';
import type { TranslationDocument } from './translate';

export interface StoredText {
  key: string;
  /** Code points (the unit of the text steps' price). */
  chars: number;
  bytes: number;
}

export interface SubtitleOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
  format: 'json' | 'srt' | 'vtt';
}

const codePoints = (s: string) => [...s].length;

export function createRecipeIoActivities({ store, ledger }: Pick<ActivityDeps, 'store' | 'ledger'>) {
  const load = async (key: string) => JSON.parse(await readText(await store.get(key))) as Transcript;
  const put = async (key: string, body: string, contentType: string) => (await store.put(key, body, { contentType })).size;
  /** Plain text as the JSON list of units the embed step gives one vector each (lib/embeddings/text-units.ts). */
  const writeUnits = async (input: { textKey: string; outputKey: string }): Promise<StoredText & { units: number }> => {
    const units = textUnits(await readText(await store.get(input.textKey)));
    const bytes = await put(input.outputKey, JSON.stringify(units), 'application/json');
    return { key: input.outputKey, chars: units.reduce((n, s) => n + codePoints(s), 0), bytes, units: units.length };
  };

  return {
    /** The transcript one timed, attributed segment per line (lib/transcript/prompt-text.ts), as the text steps read it. */
    async recipeTranscriptText(input: { transcriptKey: string; outputKey: string }): Promise<StoredText> {
      const body = transcriptPromptText(await load(input.transcriptKey));
      const bytes = await put(input.outputKey, body, 'text/plain; charset=utf-8');
      return { key: input.outputKey, chars: codePoints(body), bytes };
    },

    /** The transcript's segment texts as a JSON list (a batch translation keeps them aligned with their times). */
    async recipeTranscriptSegments(input: { transcriptKey: string; outputKey: string }): Promise<StoredText & { language: string; segments: number }> {
      const t = await load(input.transcriptKey);
      const texts = t.segments.map((s) => s.text.trim() || '…');
      const body = JSON.stringify(texts);
      const bytes = await put(input.outputKey, body, 'application/json');
      return { key: input.outputKey, chars: texts.reduce((n, s) => n + codePoints(s), 0), bytes, language: t.language, segments: texts.length };
    },

    /** Plain text as the JSON list of units the embed step gives one vector each (lib/embeddings/text-units.ts). */
    recipeTextUnits: writeUnits,

    /**
     * The embed step's units and its reservation in one local activity (one round trip fewer per
     * embed step): the units as recipeTextUnits writes them, then the step's price on their
     * characters (textCredits, as the workflow prices every text step) reserved. A retry writes the
     * same units and finds the same reservation (once per job and step). A refusal is InsufficientCredits.
     */
    async recipeTextUnitsReserved(input: { textKey: string; outputKey: string; reserve?: CreditRef }): Promise<StoredText & { units: number; reserved?: number }> {
      const out = await writeUnits(input);
      if (!input.reserve) return out;
      return { ...out, reserved: (await reserveOrFail(ledger, { ...input.reserve, amount: textCredits(out.chars) })).amount };
    },

    /**
     * Subtitles of the transcript: with a translation (one text per segment, same order), the
     * segments carry the translated text at their own times; word timings are dropped then (they
     * time the source language's words). Writes the (translated) transcript JSON and each format.
     */
    async recipeSubtitles(input: { transcriptKey: string; translationKey?: string; jsonKey: string; keys: Partial<Record<'srt' | 'vtt', string>> }): Promise<SubtitleOutput[]> {
      let t = await load(input.transcriptKey);
      if (input.translationKey) {
        const doc = JSON.parse(await readText(await store.get(input.translationKey))) as TranslationDocument;
        if (doc.translations.length !== t.segments.length) throw new Error(`translation has ${doc.translations.length} texts for ${t.segments.length} segments`);
        const segments = t.segments.map((s, i) => ({ ...s, text: doc.translations[i], words: [] }));
        t = { ...t, language: doc.target_language, segments, text: segments.map((s) => s.text.trim()).join(' ') };
      }
      const out: SubtitleOutput[] = [{ key: input.jsonKey, contentType: 'application/json', sizeBytes: await put(input.jsonKey, JSON.stringify(t), 'application/json'), format: 'json' }];
      for (const [format, key] of Object.entries(input.keys) as Array<['srt' | 'vtt', string]>) {
        const contentType = format === 'srt' ? 'application/x-subrip' : 'text/vtt';
        out.push({ key, contentType, sizeBytes: await put(key, format === 'srt' ? toSrt(t) : toVtt(t), contentType), format });
      }
      return out;
    },
  };
}

export type RecipeIoActivities = ReturnType<typeof createRecipeIoActivities>;
