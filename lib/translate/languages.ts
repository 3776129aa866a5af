/** The languages of the translation pairs voxflow measures (lib/translate/pairs.ts): ISO 639-1 → English name (used in the LLM prompt). */
export const TRANSLATION_LANGUAGES = {
  en: 'English',
  es: 'Spanish',
  ca: 'Catalan',
  gl: 'Galician',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
} as const;

export type TranslationLanguage = keyof typeof TRANSLATION_LANGUAGES;

export function isTranslationLanguage(code: string): code is TranslationLanguage {
  return Object.prototype.hasOwnProperty.call(TRANSLATION_LANGUAGES, code);
}

export const pairId = (source: string, target: string) => `${source}-${target}`;
