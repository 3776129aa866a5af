/** DER (md-eval semantics) on hand-computed cases, and RTTM round trips. */
import { diarizationError, maxAssignment } from '../../lib/diarization/der';
import { formatRttm, parseRttm } from '../../lib/diarization/rttm';
import type { SpeakerTurn } from '../../lib/diarization/types';

const turn = (speaker: string, start: number, end: number): SpeakerTurn => ({ start, end, speaker });
const NO_COLLAR = { collar: 0 };

describe('diarizationError', () => {
  const ref = [turn('A', 0, 6), turn('B', 7, 10), turn('A', 11, 13.5), turn('B', 13.5, 15)];

  it('is 0 for a perfect hypothesis, with and without collar', () => {
    for (const opts of [NO_COLLAR, {}]) {
      const r = diarizationError(ref, ref, opts);
      expect(r.der).toBe(0);
      expect(r.mapping).toEqual({ A: 'A', B: 'B' });
    }
    expect(diarizationError(ref, ref, NO_COLLAR).scoredSeconds).toBeCloseTo(6 + 3 + 2.5 + 1.5, 6);
  });

  it('is 0 for the same turns under different labels', () => {
    const hyp = ref.map((t) => ({ ...t, speaker: t.speaker === 'A' ? 'spk_1' : 'spk_0' }));
    const r = diarizationError(ref, hyp, NO_COLLAR);
    expect(r.der).toBe(0);
    expect(r.mapping).toEqual({ spk_1: 'A', spk_0: 'B' });
    expect(r.refSpeakers).toBe(2);
    expect(r.hypSpeakers).toBe(2);
  });

  it('counts the minority speaker as confusion when the hypothesis has one speaker', () => {
    const r2 = [turn('A', 0, 6), turn('B', 7, 10)];
    const hyp = [turn('X', 0, 10)];
    // Collar 0: scored 9 s; X→A; B's 3 s are confused, the 1 s gap [6,7) is false alarm.
    const a = diarizationError(r2, hyp, NO_COLLAR);
    expect(a.mapping).toEqual({ X: 'A' });
    expect(a.scoredSeconds).toBeCloseTo(9, 6);
    expect(a.confusion).toBeCloseTo(3 / 9, 6);
    expect(a.falseAlarm).toBeCloseTo(1 / 9, 6);
    expect(a.missed).toBe(0);
    expect(a.der).toBeCloseTo(4 / 9, 6);
    // Collar 0.25 around 0, 6, 7, 10: scored A [0.25,5.75) + B [7.25,9.75) = 5.5 + 2.5 = 8 s,
    // confusion is B's scored 2.5 s, false alarm the gap's scored [6.25,6.75) = 0.5 s.
    const b = diarizationError(r2, hyp);
    expect(b.scoredSeconds).toBeCloseTo(8, 6);
    expect(b.confusionSeconds).toBeCloseTo(2.5, 6);
    expect(b.confusion).toBeCloseTo(2.5 / 8, 6);
    expect(b.falseAlarm).toBeCloseTo(0.5 / 8, 6);
    expect(b.der).toBeCloseTo(3 / 8, 6);
  });

  it('lets the collar forgive a 0.2 s boundary error but not a 0.4 s one', () => {
    const r2 = [turn('A', 0, 5), turn('B', 5, 10)];
    const late = (d: number) => [turn('a', 0, 5 + d), turn('b', 5 + d, 10)];
    expect(diarizationError(r2, late(0.2)).der).toBe(0);
    // Scored 10 - 0.25 - 0.5 - 0.25 = 9 s; [5.25, 5.4) = 0.15 s is outside the collar and confused.
    const r = diarizationError(r2, late(0.4));
    expect(r.scoredSeconds).toBeCloseTo(9, 6);
    expect(r.confusionSeconds).toBeCloseTo(0.15, 6);
    expect(r.der).toBeCloseTo(0.15 / 9, 6);
    // Without a collar both errors count in full.
    expect(diarizationError(r2, late(0.2), NO_COLLAR).der).toBeCloseTo(0.2 / 10, 6);
    expect(diarizationError(r2, late(0.4), NO_COLLAR).der).toBeCloseTo(0.4 / 10, 6);
  });

  it('counts overlapped reference speech per speaker, so a one-at-a-time hypothesis misses the overlap', () => {
    const r2 = [turn('A', 0, 6), turn('B', 3, 10)];
    const hyp = [turn('x', 0, 4.5), turn('y', 4.5, 10)];
    const r = diarizationError(r2, hyp, NO_COLLAR);
    expect(r.scoredSeconds).toBeCloseTo(13, 6); // 6 + 7: [3,6) counts twice
    expect(r.missed).toBeCloseTo(3 / 13, 6);
    expect(r.confusion).toBe(0);
    expect(r.falseAlarm).toBe(0);
    expect(r.der).toBeCloseTo(3 / 13, 6);
  });

  it('uses the optimal mapping where greedy matching would not', () => {
    // Overlaps X-A 6, X-B 4, Y-A 4: greedy takes X→A (total 6), optimal is X→B, Y→A (total 8).
    const r2 = [turn('A', 0, 10), turn('B', 10, 14)];
    const hyp = [turn('X', 0, 6), turn('Y', 6, 10), turn('X', 10, 14)];
    const r = diarizationError(r2, hyp, NO_COLLAR);
    expect(r.mapping).toEqual({ X: 'B', Y: 'A' });
    expect(r.confusionSeconds).toBeCloseTo(6, 6);
    expect(r.der).toBeCloseTo(6 / 14, 6);
  });

  it('maps ten relabelled, shuffled speakers back exactly and leaves extra hypothesis speakers unmapped', () => {
    const names = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const r10 = names.flatMap((s, i) => [turn(s, i * 3, i * 3 + 2.5), turn(s, 40 + ((i * 7) % 10) * 3, 40 + ((i * 7) % 10) * 3 + 2)]);
    const rename = (s: string) => `h${(Number(s.slice(1)) * 3 + 5) % 10}`;
    const hyp = [...r10.map((t) => ({ ...t, speaker: rename(t.speaker) })), turn('extra', 80, 81)];
    const r = diarizationError(r10, hyp, NO_COLLAR);
    for (const s of names) expect(r.mapping[rename(s)]).toBe(s);
    expect(r.mapping.extra).toBeNull();
    expect(r.falseAlarmSeconds).toBeCloseTo(1, 6);
    expect(r.der).toBeCloseTo(1 / r.scoredSeconds, 6);
    expect(r.scoredSeconds).toBeCloseTo(10 * 4.5, 6);
  });

  it('scores an empty hypothesis as all missed, and silence by convention', () => {
    const r = diarizationError([turn('A', 0, 4)], [], NO_COLLAR);
    expect(r.missed).toBe(1);
    expect(r.der).toBe(1);
    expect(r.mapping).toEqual({});
    expect(diarizationError([], [], NO_COLLAR).der).toBe(0);
    const fa = diarizationError([], [turn('x', 1, 2)]);
    expect(fa.der).toBe(1);
    expect(fa.falseAlarm).toBe(1);
    expect(fa.falseAlarmSeconds).toBeCloseTo(1, 6);
    expect(fa.scoredSeconds).toBe(0);
  });

  it('honours the frame step', () => {
    const r = diarizationError([turn('A', 0, 1)], [turn('a', 0, 1.3)], { collar: 0, step: 0.1 });
    expect(r.falseAlarmSeconds).toBeCloseTo(0.3, 6);
    expect(r.der).toBeCloseTo(0.3, 6);
  });
});

describe('maxAssignment', () => {
  it('handles rectangular matrices both ways', () => {
    expect(maxAssignment([[1, 5, 0]], 1, 3)).toEqual([-1, 0, -1]);
    expect(maxAssignment([[1], [5], [2]], 3, 1)).toEqual([1]);
  });
});

describe('RTTM', () => {
  const turns = [turn('alice', 0.5, 3.25), turn('bob', 3.1, 7.006), turn('alice', 8, 9.5)];

  it('round-trips turns at millisecond precision', () => {
    const text = formatRttm('meeting-1', turns);
    expect(text.split('\n')[0]).toBe('SPEAKER meeting-1 1 0.500 2.750 <NA> <NA> alice <NA> <NA>');
    const back = parseRttm(text);
    expect(back).toHaveLength(3);
    back.forEach((t, i) => {
      expect(t.speaker).toBe(turns[i].speaker);
      expect(t.start).toBeCloseTo(turns[i].start, 6);
      expect(t.end).toBeCloseTo(turns[i].end, 6);
    });
  });

  it('keeps names one field wide and skips non-SPEAKER lines', () => {
    const text = ';; comment\nSPKR-INFO f 1 <NA> <NA> <NA> unknown s1 <NA> <NA>\n\n' + formatRttm('my file', [turn('Speaker 1', 1, 2)]);
    expect(text).toContain('SPEAKER my_file 1 1.000 1.000 <NA> <NA> Speaker_1 <NA> <NA>');
    expect(parseRttm(text)).toEqual([{ start: 1, end: 2, speaker: 'Speaker_1' }]);
  });

  it('rejects malformed SPEAKER lines', () => {
    expect(() => parseRttm('SPEAKER f 1 abc 1.0 <NA> <NA> s <NA> <NA>')).toThrow(/line 1/);
    expect(() => parseRttm('SPEAKER f 1 1.0')).toThrow();
  });
});
