import { MAX_UNIT_CHARS, textUnits } from '../../lib/embeddings/text-units';

describe('text units for the embed step of a text recipe', () => {
  it('gives one unit per paragraph, or per line when there are no blank lines', () => {
    expect(textUnits('First point.\n\nSecond   point,\nstill second.\n\n\n')).toEqual(['First point.', 'Second point, still second.']);
    expect(textUnits('Anna: hello.\r\nPeter: hi.')).toEqual(['Anna: hello.', 'Peter: hi.']);
    expect(textUnits('  \n ')).toEqual([]);
  });

  it('cuts a long paragraph at sentence ends, never past the limit, losing no word', () => {
    const sentence = 'The quarterly budget for the new office in Madrid was approved by the board today. ';
    const para = sentence.repeat(30).trim();
    const units = textUnits(para);
    expect(units.length).toBeGreaterThan(1);
    for (const u of units) {
      expect(u.length).toBeLessThanOrEqual(MAX_UNIT_CHARS);
      expect(u.endsWith('.')).toBe(true);
    }
    expect(units.join(' ')).toBe(para);
    // One sentence longer than the limit is cut at spaces.
    const long = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const cut = textUnits(long);
    expect(cut.every((u) => u.length <= MAX_UNIT_CHARS)).toBe(true);
    expect(cut.join(' ')).toBe(long);
  });
});
