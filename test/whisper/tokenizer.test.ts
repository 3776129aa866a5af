import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readManifest } from '../../lib/whisper/manifest';
import { WhisperTokenizer } from '../../lib/whisper/tokenizer';
import { splitToWordTokens } from '../../lib/whisper/words';
import { whisperModelDir } from './fixtures';

describe('Whisper tokenizer (real tokenizer.json)', () => {
  let tok: WhisperTokenizer;
  let vocab: Record<string, number>;
  let eot: number;
  let timestampBegin: number;

  beforeAll(async () => {
    const dir = whisperModelDir();
    const m = await readManifest(dir);
    eot = m.special_tokens.eot;
    timestampBegin = m.special_tokens.timestamp_begin;
    tok = await WhisperTokenizer.load(dir, eot);
    vocab = (JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
  });

  test('byte-level spellings decode to text, spaces included', () => {
    expect(tok.decode([vocab['ĠAmericans'], vocab[','], vocab['Ġask']])).toBe(' Americans, ask');
  });

  test('special and timestamp tokens carry no text', () => {
    expect(tok.decode([eot + 1, vocab['Ġask'], timestampBegin + 50, eot])).toBe(' ask');
    expect(tok.isText(eot)).toBe(false);
    expect(tok.isText(timestampBegin)).toBe(false);
  });

  test('a multi-byte character split over tokens decodes whole, and word splitting keeps it whole', () => {
    // "é" is C3 A9: GPT-2's byte alphabet spells those bytes "Ã" and "©"; "ü" is C3 BC ("Ã", "¼").
    const ids = [vocab['Ġcaf'], vocab['Ã'], vocab['©'], vocab['Ġm'], vocab['Ã'], vocab['¼'], vocab['de']];
    expect(ids.every((i) => typeof i === 'number')).toBe(true);
    expect(tok.decode(ids)).toBe(' café müde');
    expect(tok.decode(ids.slice(0, 2))).toBe(' caf\ufffd');
    expect(splitToWordTokens(ids, tok, 'fr').map((w) => w.word)).toEqual([' café', ' müde']);
    const zh = Array.from(Buffer.from('你好', 'utf8'), (b) => tokenForByte(b));
    expect(splitToWordTokens(zh, tok, 'zh').map((w) => w.word)).toEqual(['你', '好']);
  });

  function tokenForByte(b: number): number {
    const id = Object.entries(vocab).find(([, i]) => i < eot && tok.bytes([i]).length === 1 && tok.bytes([i])[0] === b)?.[1];
    if (id === undefined) throw new Error(`no single-byte token for ${b}`);
    return id;
  }
});
