import { render, stamp, toCsv, toCues, toSrt, toText, toVtt, wrap } from '../../lib/transcript/formats';
import type { Transcript } from '../../lib/transcript/types';
import { assertWellFormed, parseSrt, parseVtt } from '../helpers/subtitles';

function words(text: string, start: number, perWord: number) {
  return text.split(' ').map((w, i) => ({ word: w, start: start + i * perWord, end: start + (i + 1) * perWord - 0.05 }));
}

const long = 'This is a deliberately long segment that keeps going well past what fits on two subtitle lines so that it must be split into several readable cues for the viewer.';
const transcript: Transcript = {
  text: '',
  language: 'en',
  duration: 3725,
  model: 'base',
  speakers: ['Speaker 1', 'Speaker 2'],
  segments: [
    { start: 0, end: 3.2, text: 'Hello, welcome to the meeting.', speaker: 'Speaker 1', confidence: 0.95, words: words('Hello, welcome to the meeting.', 0, 0.6) },
    { start: 3.4, end: 3.4 + 0.4 * 30, text: long, speaker: 'Speaker 2', confidence: 0.9, words: words(long, 3.4, 0.4) },
    { start: 3700, end: 3705.5, text: 'A <tag> & an arrow --> here.', speaker: 'Speaker 1', confidence: 0.8, words: [] },
  ],
};

describe('timestamps', () => {
  it('formats HH:MM:SS,mmm and HH:MM:SS.mmm, past an hour', () => {
    expect(stamp(0, ',')).toBe('00:00:00,000');
    expect(stamp(3725.0456, ',')).toBe('01:02:05,046');
    expect(stamp(59.9996, '.')).toBe('00:01:00.000');
  });
});

describe('SRT', () => {
  it('is valid SubRip: sequential numbering, well-formed timings, no overlaps', () => {
    const cues = parseSrt(toSrt(transcript));
    assertWellFormed(cues);
    expect(cues[0]).toMatchObject({ index: 1, start: 0 });
    expect(cues[0].text).toContain('Hello, welcome to the meeting.');
  });

  it('splits long segments into cues of at most two lines of 42 characters and 7 seconds', () => {
    const cues = parseSrt(toSrt(transcript));
    // 157 characters cannot fit one two-line cue: the long segment becomes at least two.
    expect(cues.filter((c) => c.text.startsWith('[Speaker 2]')).length).toBeGreaterThanOrEqual(2);
    for (const c of cues) {
      const lines = c.text.replace(/^\[Speaker \d\] /, '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
      expect(c.end - c.start).toBeLessThanOrEqual(7.0001);
    }
    // Every word of the long segment survives, in order.
    const joined = cues.map((c) => c.text.replace(/^\[Speaker \d\] /, '').replace(/\n/g, ' ')).join(' ');
    expect(joined).toContain(long);
  });

  it('labels speakers only when there are several', () => {
    expect(toSrt(transcript)).toContain('[Speaker 2] ');
    expect(toSrt({ ...transcript, speakers: ['Speaker 1'] })).not.toContain('[Speaker');
  });
});

describe('WebVTT', () => {
  it('has the header, valid cues and escaped text', () => {
    const vtt = toVtt(transcript);
    const cues = parseVtt(vtt);
    assertWellFormed(cues);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const last = cues[cues.length - 1];
    expect(last.text).toContain('&lt;tag&gt; &amp; an arrow');
    expect(last.text).not.toContain('-->');
    expect(vtt).toContain('<v Speaker 2>');
  });
});

describe('text and cues', () => {
  it('renders one line per segment with speakers', () => {
    expect(toText(transcript).split('\n')[0]).toBe('Speaker 1: Hello, welcome to the meeting.');
    expect(render(transcript, 'json')).toBe(JSON.stringify(transcript));
  });

  it('spreads words over the segment when word timings are missing', () => {
    const cues = toCues({ ...transcript, segments: [transcript.segments[2]] });
    expect(cues[0].start).toBe(3700);
    expect(cues[cues.length - 1].end).toBeCloseTo(3705.5, 3);
  });

  it('wraps greedily and keeps over-long words whole', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('supercalifragilistic is long', 10)).toEqual(['supercalifragilistic', 'is long']);
  });
});

describe('CSV', () => {
  it('has one quoted-as-needed row per segment', () => {
    const csv = toCsv({ ...transcript, segments: [{ start: 1, end: 2.5, text: 'He said "hi", then left.', speaker: 'Speaker 1', confidence: 0.9, words: [] }] });
    expect(csv).toBe('start,end,speaker,text,confidence\r\n1.000,2.500,Speaker 1,"He said ""hi"", then left.",0.900\r\n');
  });
});
