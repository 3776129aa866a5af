import { dtw, medianFilterRows } from '../../lib/whisper/dtw';
import { applyLogitFilters, type LogitFilterConfig } from '../../lib/whisper/logit-filters';
import { splitSegments } from '../../lib/whisper/segments';
import { WhisperTokenizer } from '../../lib/whisper/tokenizer';
import { mergePunctuation, splitToWordTokens } from '../../lib/whisper/words';
import { normalizeWords, wordErrorRate } from '../helpers/wer';

// A toy vocabulary in GPT-2 byte-level spelling ("Ġ" is a leading space; "ä½" and "ł" are raw UTF-8 bytes).
const VOCAB: Record<string, number> = { 'ĠHello': 0, ',': 1, 'Ġworld': 2, '.': 3, 'Ġ"': 4, 'Hi': 5, 'ä': 6, '½': 7, 'ł': 8, 'Ġwor': 9, 'ld': 10 };
const EOT = 20;
const TS = 30; // timestamp_begin in the toy layout: 20 eot, 21..29 specials, 30.. timestamps
const tok = new WhisperTokenizer(VOCAB, EOT);
const cfg: LogitFilterConfig = { eot: EOT, noTimestamps: 29, timestampBegin: TS, suppress: [21], suppressBegin: [EOT], maxInitialTimestampIndex: 50 };
const V = TS + 100;
const flat = () => new Float32Array(V); // uniform logits: every token equally likely
const allowed = (l: Float32Array) => [...l.keys()].filter((i) => l[i] > -Infinity);

describe('timestamp rules (ApplyTimestampRules)', () => {
  test('the first token must be a timestamp no later than 1.0 s', () => {
    const l = flat();
    applyLogitFilters(l, [], cfg);
    expect(allowed(l)).toEqual(Array.from({ length: 51 }, (_, i) => TS + i));
  });

  test('after text, the next token may be text, EOT or a timestamp not before the last one', () => {
    const l = flat();
    l[2] = 6; // text likely enough that no timestamp is forced
    applyLogitFilters(l, [TS + 10, 0], cfg);
    const a = allowed(l);
    expect(a).toContain(2);
    expect(a).toContain(EOT);
    expect(a).not.toContain(TS + 9); // timestamps do not go backwards
    expect(a).not.toContain(TS + 10); // and a segment has nonzero length
    expect(a).not.toContain(21); // suppressed token
    expect(a).not.toContain(29); // <|notimestamps|>
  });

  test('a closing timestamp must be followed by another timestamp (or EOT), not text', () => {
    const l = flat();
    applyLogitFilters(l, [TS, 0, TS + 20], cfg);
    const a = allowed(l);
    expect(a.every((t) => t === EOT || t >= TS + 20)).toBe(true);
    expect(a).toContain(TS + 20); // the next segment may start where this one ended
  });

  test('after a timestamp pair only text or EOT may follow', () => {
    const l = flat();
    applyLogitFilters(l, [TS, 0, TS + 20, TS + 20], cfg);
    expect(allowed(l).every((t) => t < TS)).toBe(true);
  });

  test('when timestamps jointly outweigh every text token, a timestamp is forced', () => {
    const l = flat();
    l[0] = 3; // the best text token, but the 100 timestamps share more mass
    applyLogitFilters(l, [TS, 0], cfg);
    expect(allowed(l).every((t) => t >= TS)).toBe(true);
    const l2 = flat();
    l2[0] = 8; // now the text token dominates
    applyLogitFilters(l2, [TS, 0], cfg);
    expect(allowed(l2)).toContain(0);
  });
});

describe('segments from timestamp tokens', () => {
  const lp = (n: number) => Array.from({ length: n }, () => -0.1);

  test('pairs delimit segments; times are 20 ms steps; text tokens only', () => {
    const toks = [TS, 0, 1, TS + 50, TS + 50, 2, 3, TS + 100];
    const segs = splitSegments(toks, lp(toks.length), TS, 10, tok);
    expect(segs.map((s) => [s.start, s.end, tok.decode(s.tokens)])).toEqual([[0, 1, ' Hello,'], [1, 2, ' world.']]);
  });

  test('an unfinished trailing segment is kept and ends at the chunk end; times are clamped to the audio, text past it dropped', () => {
    const toks = [TS, 0, TS + 50, TS + 50, 2];
    const segs = splitSegments(toks, lp(toks.length), TS, 1.5, tok);
    expect(segs.map((s) => [s.start, s.end])).toEqual([[0, 1], [1, 1.5]]);
    const late = splitSegments([TS + 100, 0, TS + 500], lp(3), TS, 3, tok);
    expect(late.map((s) => [s.start, s.end])).toEqual([[2, 3]]);
    const past = splitSegments([TS, 0, TS + 100, TS + 200, 2, TS + 250], lp(6), TS, 3, tok);
    expect(past.map((s) => tok.decode(s.tokens))).toEqual([' Hello']); // ' world' starts at 4 s, after the audio
  });
});

describe('words', () => {
  test('space-delimited languages split on leading spaces; punctuation stands alone until merged', () => {
    const words = splitToWordTokens([4, 0, 1, 9, 10, 3, 4, 5], tok, 'en');
    expect(words.map((w) => w.word)).toEqual([' "', ' Hello', ',', ' world', '.', ' "Hi']);
    const timed = words.map((w) => ({ ...w }));
    mergePunctuation(timed);
    expect(timed.map((w) => w.word).filter(Boolean)).toEqual([' " Hello,', ' world.', ' "Hi']);
    expect(timed.flatMap((w) => w.tokens)).toEqual([4, 0, 1, 9, 10, 3, 4, 5]); // no token lost
  });

  test('a character split across byte tokens is never cut; unicode languages split per character', () => {
    // "你" is E4 BD A0 and "好" is E5 A5 BD; build them from single-byte tokens of a real byte alphabet.
    const bytesVocab: Record<string, number> = {};
    const chars = ['ä', '½', 'ł', 'å', '¥'];
    chars.forEach((c, i) => { bytesVocab[c] = i; });
    const t = new WhisperTokenizer(bytesVocab, 100);
    const ids = [0, 1, 2, 3, 4, 1];
    expect(t.decode(ids)).toBe('你好');
    expect(t.decode([0, 1])).toBe('\ufffd'); // a partial character alone
    expect(splitToWordTokens(ids, t, 'zh').map((w) => [w.word, w.tokens.length])).toEqual([['你', 3], ['好', 3]]);
    expect(splitToWordTokens(ids, t, 'en').map((w) => w.word)).toEqual(['你好']);
  });
});

describe('alignment primitives', () => {
  test('DTW follows the cheap diagonal band and covers every row and column', () => {
    const rows = 4, cols = 12;
    const cost = new Float64Array(rows * cols).fill(1);
    for (let r = 0; r < rows; r++) for (let c = 3 * r; c < 3 * r + 3; c++) cost[r * cols + c] = -1;
    const { rowIdx, colIdx } = dtw(cost, rows, cols);
    expect(rowIdx[0]).toBe(0);
    expect(colIdx[0]).toBe(0);
    expect(rowIdx[rowIdx.length - 1]).toBe(rows - 1);
    expect(colIdx[colIdx.length - 1]).toBe(cols - 1);
    const firstColOfRow = [0, 1, 2, 3].map((r) => colIdx[rowIdx.indexOf(r)]);
    expect(firstColOfRow).toEqual([0, 3, 6, 9]);
  });

  test('median filter removes a lone spike and keeps a step, reflect-padded at the edges', () => {
    const x = Float64Array.from([0, 0, 0, 9, 0, 0, 0, 5, 5, 5, 5, 5]);
    medianFilterRows(x, 1, x.length, 7);
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
  });
});

describe('WER helper', () => {
  test('normalises case and punctuation, counts word edits', () => {
    expect(normalizeWords("Ill-disposed, isn't it?")).toEqual(['ill', 'disposed', 'isnt', 'it']);
    expect(wordErrorRate('a b c d', 'a x c')).toBeCloseTo(0.5);
    expect(wordErrorRate('Ask not.', 'ask NOT')).toBe(0);
  });
});
