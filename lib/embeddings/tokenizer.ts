/**
 * BERT word-piece tokenisation from the model's own tokenizer.json, by @huggingface/tokenizers (the
 * pure-JS tokenizers.js that Transformers.js uses: reads tokenizer.json, no native code, no network).
 * The file's truncation/padding blocks (128, an export default) are ignored: truncation here follows
 * sentence-transformers, which cuts the word pieces to max_seq_length keeping [CLS] … [SEP].
 */
import fs from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

export interface Encoded {
  ids: number[];
  truncated: boolean;
}

export class WordPieceTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly maxTokens: number,
  ) {}

  static load(file: string, maxTokens: number): WordPieceTokenizer {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    // all-MiniLM-L6-v2's tokenizer_config: uncased BERT; cleanup only matters for decode, unused here.
    const config = { do_lower_case: true, clean_up_tokenization_spaces: true, model_max_length: maxTokens };
    return new WordPieceTokenizer(new Tokenizer(json, config), maxTokens);
  }

  /** [CLS] pieces… [SEP], at most maxTokens long (the tail of the text is dropped, [SEP] kept). */
  encode(text: string): Encoded {
    const ids = this.tokenizer.encode(text).ids;
    if (ids.length <= this.maxTokens) return { ids, truncated: false };
    return { ids: [...ids.slice(0, this.maxTokens - 1), ids[ids.length - 1]], truncated: true };
  }
}
