import type { WhisperTokenizer } from './tokenizer';

/** Languages written without spaces between words: split per character instead. */
const UNICODE_SPLIT_LANGUAGES = new Set(['zh', 'ja', 'th', 'lo', 'my', 'yue']);
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'; // Python's string.punctuation
export const PREPEND_PUNCTUATION = '"\'“¿([{-';
export const APPEND_PUNCTUATION = '"\'.。,，!！?？:：”)]}、';

export interface WordTokens {
  word: string;
  tokens: number[];
}

/** Groups text tokens into words the way openai-whisper's tokenizer.split_to_word_tokens does. */
export function splitToWordTokens(tokens: readonly number[], tok: WhisperTokenizer, language: string): WordTokens[] {
  const units = splitOnUnicode(tokens, tok);
  if (UNICODE_SPLIT_LANGUAGES.has(language)) return units;
  const words: WordTokens[] = [];
  for (const u of units) {
    const withSpace = u.word.startsWith(' ');
    // Substring test, as Python's `in` on strings does (so an empty/blank unit also starts a word).
    const punctuation = ASCII_PUNCTUATION.includes(u.word.trim());
    if (withSpace || punctuation || words.length === 0) words.push({ word: u.word, tokens: [...u.tokens] });
    else {
      const last = words[words.length - 1];
      last.word += u.word;
      last.tokens.push(...u.tokens);
    }
  }
  return words;
}

/**
 * Smallest token runs that decode to whole characters: a multi-byte character split across tokens must not
 * be cut. A U+FFFD that is really in the text (invalid bytes) does not hold a run open.
 */
function splitOnUnicode(tokens: readonly number[], tok: WhisperTokenizer): WordTokens[] {
  const full = tok.decode(tokens);
  const out: WordTokens[] = [];
  let current: number[] = [];
  let offset = 0;
  for (const t of tokens) {
    current.push(t);
    const decoded = tok.decode(current);
    const bad = decoded.indexOf('\ufffd');
    if (bad < 0 || full[offset + bad] === '\ufffd') {
      out.push({ word: decoded, tokens: current });
      current = [];
      offset += decoded.length;
    }
  }
  if (current.length) out.push({ word: tok.decode(current), tokens: current }); // truncated tail
  return out;
}

/** openai-whisper's merge_punctuations: attach opening marks to the next word, closing ones to the previous. */
export function mergePunctuation<T extends WordTokens>(words: T[], prepend = PREPEND_PUNCTUATION, append = APPEND_PUNCTUATION): void {
  let i = words.length - 2;
  let j = words.length - 1;
  while (i >= 0) {
    const prev = words[i], next = words[j];
    if (prev.word.startsWith(' ') && prepend.includes(prev.word.trim())) {
      next.word = prev.word + next.word;
      next.tokens = [...prev.tokens, ...next.tokens];
      prev.word = '';
      prev.tokens = [];
    } else {
      j = i;
    }
    i--;
  }
  i = 0;
  j = 1;
  while (j < words.length) {
    const prev = words[i], next = words[j];
    if (!prev.word.endsWith(' ') && append.includes(next.word)) {
      prev.word += next.word;
      prev.tokens = [...prev.tokens, ...next.tokens];
      next.word = '';
      next.tokens = [];
    } else {
      i = j;
    }
    j++;
  }
}
