/**
 * The no-lost-speech invariants of issue #10, on the pure parts of the pipeline: speech regions
 * never overlap (so no audio, and no word, lands in two chunks), assembled segments never overlap
 * and never repeat a word across their boundary, and a region the decoder skipped is decoded again
 * or reported as dropped with its reason.
 */
import { assembleTranscript } from '../../lib/asr/assemble';
import { transcribeCovering, uncovered } from '../../lib/asr/coverage';
import type { ChunkSegment, SpeechRecognizer } from '../../lib/asr/types';
import { RegionTracker } from '../../lib/vad/segments';
import { VAD_SAMPLE_RATE, VAD_WINDOW } from '../../lib/vad/silero';

const WINDOW_S = VAD_WINDOW / VAD_SAMPLE_RATE;

/** VAD probabilities for a timeline of [seconds, speech?] stretches. */
function probs(timeline: Array<[number, boolean]>): Float32Array {
  const out: number[] = [];
  for (const [s, speech] of timeline) for (let i = 0; i < Math.round(s / WINDOW_S); i++) out.push(speech ? 0.9 : 0.02);
  return Float32Array.from(out);
}

describe('speech regions', () => {
  it('never overlap, also when neighbouring regions close in different pushes (padding used to reach back into the previous one)', () => {
    // 2 s speech, 0.6 s pause, 2 s speech, 0.6 s pause, 2 s speech: pads of 0.4 s on both sides would overlap by 0.2 s.
    const p = probs([[1, false], [2, true], [0.6, false], [2, true], [0.6, false], [2, true], [2, false]]);
    for (const pieceWindows of [1, 7, 50, p.length]) {
      const tracker = new RegionTracker();
      const regions = [];
      for (let i = 0; i < p.length; i += pieceWindows) regions.push(...tracker.push(p.subarray(i, i + pieceWindows)));
      regions.push(...tracker.finish());
      expect(regions).toHaveLength(3);
      for (let i = 1; i < regions.length; i++) expect(regions[i].start).toBeGreaterThanOrEqual(regions[i - 1].end);
    }
  });

  it('a monologue cut at maxRegionS continues exactly where the cut was', () => {
    const tracker = new RegionTracker({ maxRegionS: 5 });
    const p = probs([[0.5, false], [12, true], [1, false]]);
    const regions = [...tracker.push(p.subarray(0, 100)), ...tracker.push(p.subarray(100)), ...tracker.finish()];
    expect(regions.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < regions.length; i++) expect(regions[i].start).toBeGreaterThanOrEqual(regions[i - 1].end);
  });

  it('a region too long is cut at the pause in its second half, not inside a word at the length limit', () => {
    // 40 s of speech whose only dips are short pauses (0.1 s, under minSilenceMs) at 8 s and 20 s. The cut
    // used to land at 29 s, mid-word ("O ocho para salir" came out as "para salir"); it belongs in the
    // 20 s pause, the quietest point of the region's second half (the 8 s one is in its first).
    const p = probs([[8, true], [0.1, false], [11.9, true], [0.1, false], [20, true], [1, false]]);
    const tracker = new RegionTracker({ maxRegionS: 29 });
    const regions = [...tracker.push(p), ...tracker.finish()];
    expect(regions).toHaveLength(2);
    expect(regions[0].end).toBeGreaterThan(19.9);
    expect(regions[0].end).toBeLessThan(20.2);
    expect(regions[1].start).toBe(regions[0].end);
    // With no pause at all the cut stays at the limit: nothing quieter to cut at.
    const flat = new RegionTracker({ maxRegionS: 29 });
    const r2 = [...flat.push(probs([[40, true], [1, false]])), ...flat.finish()];
    expect(r2[0].end).toBeCloseTo(29, 1);
  });
});

const seg = (start: number, end: number, words: Array<[string, number, number]>): ChunkSegment => ({
  start,
  end,
  text: words.map(([w]) => ` ${w}`).join(''),
  confidence: 0.9,
  avgLogprob: -0.2,
  words: words.map(([word, s, e]) => ({ word: ` ${word}`, start: s, end: e, probability: 0.9 })),
});

describe('assembled segments', () => {
  it('never overlap, and a word decoded on both sides of a boundary is kept once', () => {
    const t = assembleTranscript(
      [
        { chunkStart: 0, chunkEnd: 10, segments: [seg(0, 5.5, [['press', 4.6, 5.0], ['key', 5.0, 5.5]])] },
        { chunkStart: 5.2, chunkEnd: 12, segments: [seg(0, 2, [['key', 0.0, 0.25], ['pad', 0.3, 0.6], ['now', 0.7, 1.0]])] },
      ],
      { model: 'm', language: 'en', duration: 12 },
    );
    expect(t.segments.map((s) => s.text)).toEqual(['press key', 'pad now']);
    expect(t.segments[1].start).toBeGreaterThanOrEqual(t.segments[0].end);
    for (const s of t.segments) for (const w of s.words) expect(w.start).toBeGreaterThanOrEqual(s.start);
    expect(t.text).toBe('press key pad now');
  });

  it('keeps a word said twice in a row when the second one really comes later', () => {
    const t = assembleTranscript(
      [{ chunkStart: 0, chunkEnd: 10, segments: [seg(0, 2, [['no', 1.0, 1.3]]), seg(2.5, 4, [['no', 2.6, 2.9], ['thanks', 3.0, 3.5]])] }],
      { model: 'm', language: 'en', duration: 10 },
    );
    expect(t.text).toBe('no no thanks');
  });
});

describe('coverage of the speech regions', () => {
  const region = (start: number, end: number) => ({ start, end });

  it('finds the stretch a long region lost at its end, not only regions missed whole', () => {
    const segments = [seg(0, 20, [['a', 0.5, 19.5]])];
    expect(uncovered([region(0, 19.8)], segments)).toEqual([]);
    // 26 s of speech, words up to 20 s: the last 6 s are uncovered.
    const lost = uncovered([region(0, 26)], [seg(0, 20, Array.from({ length: 40 }, (_, i) => [`w${i}`, i * 0.5, i * 0.5 + 0.45] as [string, number, number]))]);
    expect(lost).toHaveLength(1);
    expect(lost[0].start).toBeGreaterThanOrEqual(19);
    expect(lost[0].end).toBe(26);
  });

  it('starts the lost stretch where the last word ended, also when that is inside a piece judged covered', () => {
    // tel-es-02: one 28.8 s region, the decoder ended its window after a word ending at 22.78 s. The piece
    // [21.6, 25.2] is a third covered, so the re-decode used to start at 25.2 s and the words between were lost.
    const words = Array.from({ length: 46 }, (_, i) => [`w${i}`, i * 0.5, i * 0.5 + 0.45] as [string, number, number]);
    words[45] = ['conferencia', 22.4, 22.78];
    const lost = uncovered([region(0, 28.8)], [seg(0, 22.78, words)]);
    expect(lost).toEqual([{ start: 22.78, end: 28.8 }]);
  });

  /** A recognizer that stops early on the whole chunk (as Whisper's decoder sometimes does) and hears the tail on its own. */
  function earlyStopper(): Pick<SpeechRecognizer, 'transcribeChunk'> & { calls: number[] } {
    const calls: number[] = [];
    return {
      calls,
      async transcribeChunk(pcm) {
        const seconds = pcm.length / 16000;
        calls.push(seconds);
        if (calls.length === 1) return { language: 'en', noSpeechProb: 0.01, segments: [seg(0, 4, [['hello', 0.5, 1.0], ['there', 1.1, 3.9]])] };
        if (calls.length === 2) return { language: 'en', noSpeechProb: 0.02, segments: [seg(0.1, seconds, [['please', 0.2, 0.7], ['hold', 0.8, 1.4]])] };
        return { language: 'en', noSpeechProb: 0.95, segments: [] };
      },
    };
  }

  it('decodes a skipped region again on its own audio, and reports a region that yields nothing, with its reason', async () => {
    const rec = earlyStopper();
    const chunk = { start: 100, pcm: new Float32Array(16000 * 12), regions: [region(100, 104), region(105, 107), region(109, 111)] };
    const out = await transcribeCovering(rec, chunk, { language: 'en', wordTimestamps: true });
    expect(rec.calls).toHaveLength(3);
    expect(out.redecoded).toBe(2);
    expect(out.segments.map((s) => s.text.trim())).toEqual(['hello there', 'please hold']);
    // The tail's segment comes back in chunk time: its audio started 0.2 s before the region at 5 s.
    expect(out.segments[1].start).toBeCloseTo(4.9, 5);
    expect(out.dropped).toEqual([{ start: 9, end: 11, reason: 'no_speech' }]);
  });
});
