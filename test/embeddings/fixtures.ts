/** The installed embedding model and the sentence fixture the embedding tests share. */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../helpers/models';

export function embeddingModelDir(): string {
  const dir = path.join(cacheDir(), 'models', 'embedding', 'all-minilm-l6-v2');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run scripts/models/install-embeddings.sh (npm test does)`);
  return dir;
}

export interface SentenceFixture {
  sentences: string[];
  /** index pairs that mean the same thing */
  paraphrases: Array<[number, number]>;
  /** index pairs that do not */
  unrelated: Array<[number, number]>;
}

export const sentenceFixture = (): SentenceFixture =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/embeddings/sentences.json'), 'utf8')) as SentenceFixture;
