/** Cutting texts into translation pieces and putting them back (lib/translate/segment.ts). */
import { joinSegments, segmentText } from '../../lib/translate/segment';

const identity = (t: string, max: number) => {
  const s = segmentText(t, max);
  return joinSegments(s, s.pieces);
};

describe('segmentText', () => {
  it('keeps a short text whole', () => {
    expect(segmentText('Hello world. How are you?', 100)).toEqual({ pieces: ['Hello world. How are you?'], glue: ['', ''] });
  });

  it('cuts at lines, keeping blank lines and indentation as glue', () => {
    const t = '  First line.\n\nSecond paragraph.\n[00:05] Speaker 1: ok\n';
    const s = segmentText(t, 100);
    expect(s.pieces).toEqual(['First line.', 'Second paragraph.', '[00:05] Speaker 1: ok']);
    expect(s.glue).toEqual(['  ', '\n\n', '\n', '\n']);
    expect(joinSegments(s, ['A.', 'B.', 'C.'])).toBe('  A.\n\nB.\nC.\n');
  });

  it('cuts a long line at sentence ends, packing whole sentences up to the limit', () => {
    const s = segmentText('One two. Three four! Five six? Seven.', 20);
    expect(s.pieces).toEqual(['One two. Three four!', 'Five six? Seven.']);
    for (const p of s.pieces) expect(p.length).toBeLessThanOrEqual(20);
  });

  it('cuts a sentence longer than the limit at spaces, and a word longer than it anywhere', () => {
    const s = segmentText('alpha beta gamma delta epsilon', 12);
    expect(s.pieces).toEqual(['alpha beta', 'gamma delta', 'epsilon']);
    expect(segmentText('x'.repeat(25), 10).pieces).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('loses nothing: joining the pieces untranslated gives back the exact text', () => {
    const samples = [
      'Hi.',
      '  Hi there.  \n\n\tTabbed line. Second sentence here!  And a third one…\n',
      'A'.repeat(50) + ' ' + 'b. '.repeat(40),
      'Sí. ¿Qué tal? «Bien», dijo. 😀 Emoji sentence here. Fin.',
      '\n\n',
    ];
    for (const t of samples) for (const max of [1, 5, 17, 600]) expect(identity(t, max)).toBe(t);
  });

  it('never yields an empty piece or one with a newline', () => {
    const s = segmentText('a\n\n \nb. c.\r\nd', 2);
    for (const p of s.pieces) {
      expect(p.trim()).toBe(p);
      expect(p).not.toBe('');
      expect(p).not.toMatch(/\n/);
    }
  });

  it('rejects a translation count that does not match', () => {
    expect(() => joinSegments(segmentText('a\nb', 10), ['x'])).toThrow(/1 translations for 2 pieces/);
  });
});
