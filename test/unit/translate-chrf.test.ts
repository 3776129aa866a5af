/**
 * chrF against sacrebleu 2.6.0's own numbers (`CHRF().sentence_score` / `corpus_score`, defaults:
 * char order 6, word order 0, beta 2), computed once with sacrebleu in a scratch venv.
 */
import { corpusChrf, sentenceChrf } from '../../lib/translate/chrf';

const SACREBLEU: Array<[hyp: string, ref: string, score: number]> = [
  ['Hola mundo', 'Hola mundo', 100],
  ['El gato está en la alfombra.', 'El gato se sentó en la alfombra.', 63.00809806343257],
  ['Cumpliremos el lunes para hablar el presupuesto.', 'Nos reuniremos el lunes para hablar del presupuesto.', 76.92584405599098],
  ['abc', 'xyz', 0],
  ['a', 'abcdefgh', 15.151515151515152],
  ['Ça va très bien, merci !', 'Ça va bien, merci.', 66.97932754039108],
  ['¿Podemos mover la reunión a las tres?', '¿Podemos mover la reunión a las 3?', 90.57887938158188],
  // Code points, not UTF-16 units: the emoji is one character.
  ['Des del 😀 emoji', 'Des del emoji 😀', 59.85990860990861],
  ['', 'hola', 0],
];

it.each(SACREBLEU)('sentence chrF of %j against %j is sacrebleu\'s %d', (hyp, ref, score) => {
  expect(sentenceChrf(hyp, ref)).toBeCloseTo(score, 9);
});

it('corpus chrF sums the statistics before scoring (not a mean of sentence scores), as sacrebleu does', () => {
  const six = SACREBLEU.slice(0, 6);
  const corpus = corpusChrf(six.map((s) => s[0]), six.map((s) => s[1]));
  expect(corpus).toBeCloseTo(69.01426643272352, 9);
  const mean = six.reduce((a, s) => a + s[2], 0) / six.length;
  expect(Math.abs(corpus - mean)).toBeGreaterThan(1);
});

it('whitespace does not count, and a mismatched corpus is an error', () => {
  expect(sentenceChrf('Hola   mundo', 'Hola mundo')).toBe(100);
  expect(() => corpusChrf(['a'], [])).toThrow(/1 hypotheses for 0 references/);
});
