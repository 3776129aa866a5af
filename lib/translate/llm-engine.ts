/**
 * Translation on the worker's LLM: one greedy generation per piece, so output i is the
 * translation of input i whatever the model does. The prompt frames the text as data to translate
 * (a small model otherwise answers a question instead of translating it), and the reply is cut to
 * its first line (pieces have none) with any label or quotes the model added removed.
 */
import type { LlmModel } from '../llm/types';
import type { EngineOutput, LanguagePair, TranslateHooks, TranslationEngine } from './engine';
import { TRANSLATION_LANGUAGES, isTranslationLanguage } from './languages';

export const languageName = (code: string) => (isTranslationLanguage(code) ? TRANSLATION_LANGUAGES[code] : code);

export function translationRequest(piece: string, { source, target }: LanguagePair, inputTokens: number) {
  const from = languageName(source);
  const to = languageName(target);
  return {
    system: `You translate ${from} into ${to}. You reply with the ${to} translation of the user's text and nothing else.`,
    prompt: `Translate this ${from} text into ${to}.\n\n${from}: ${piece}\n${to}:`,
    // Translations run longer in tokens than their source; the ceiling only stops a runaway.
    maxTokens: Math.max(48, inputTokens * 3 + 16),
    temperature: 0,
  };
}

/** The model's reply → the translation alone (first line, no `Spanish:` label, no wrapping quotes). */
export function cleanTranslation(reply: string, { source, target }: LanguagePair): string {
  let t = reply.trim().split('\n')[0]?.trim() ?? '';
  // Small models sometimes echo the prompt's frame: "Spanish: …" (either language's label).
  const label = new RegExp(`^(?:${languageName(target)}|${languageName(source)}|translation)\\s*:\\s*`, 'iu');
  t = t.replace(label, '');
  const quoted = /^(["“«'])(.*)(["”»'])$/u.exec(t);
  if (quoted && !quoted[2].includes(quoted[1])) t = quoted[2].trim();
  // The small models open Spanish statements with an inverted mark they never close ("¡Buenos días, …."): drop an unbalanced opener.
  if (t.startsWith('¡') && !t.includes('!')) t = t.slice(1).trimStart();
  if (t.startsWith('¿') && !t.includes('?')) t = t.slice(1).trimStart();
  return t;
}

export class LlmTranslator implements TranslationEngine {
  readonly kind = 'llm' as const;
  constructor(private readonly model: LlmModel) {}

  async translate(pieces: readonly string[], pair: LanguagePair, hooks: TranslateHooks = {}): Promise<EngineOutput> {
    const texts: string[] = [];
    let promptTokens = 0;
    let outputTokens = 0;
    for (const piece of pieces) {
      const req = translationRequest(piece, pair, await this.model.countTokens(piece));
      const r = await this.model.generate(req, { signal: hooks.signal });
      promptTokens += r.promptTokens;
      outputTokens += r.outputTokens;
      texts.push(cleanTranslation(r.text, pair));
      hooks.onProgress?.(texts.length);
    }
    return { texts, model: this.model.id, promptTokens, outputTokens };
  }
}
