/**
 * The exact parts of /v1/generate, without the model: chapter snapping onto real segment starts,
 * key quotes looked up in the input (never invented), merging per-chunk lists, and the content
 * schemas the stored answer is validated against.
 */
import { nearestStart, snapChapters } from '../../lib/llm/chapters';
import { finishProse, hasTimestamps } from '../../lib/llm/generate';
import { mergeChapters, mergeLists, mergeQuotes, speakersOf } from '../../lib/llm/generation-merge';
import { CONTENT_SCHEMAS, modelSchema, STRUCTURED_TYPES, toFlashcards, toQuiz } from '../../lib/llm/generation-schemas';
import { locateQuote, normalizeWithMap, realQuotes, sourceLines } from '../../lib/llm/key-quotes';
import { transcriptPromptText } from '../../lib/transcript/prompt-text';
import { SECTIONS } from '../helpers/planted-transcript';

describe('chapter markers', () => {
  const starts = [0, 7, 17, 22, 63, 69, 122, 131];

  it('nearestStart finds the nearest real start, ties to the earlier one', () => {
    expect(nearestStart(starts, 0)).toBe(0);
    expect(nearestStart(starts, 60)).toBe(63);
    expect(nearestStart(starts, 12)).toBe(7); // 5 from 7 and from 17: the earlier
    expect(nearestStart(starts, 1000)).toBe(131);
    expect(nearestStart(starts, -5)).toBe(0);
  });

  it('snaps every chapter to a real start, sorted, strictly increasing, one per start, the first at the first segment', () => {
    const raw = [
      { title: 'Falcon release', time: '[01:00]' },
      { title: 'Offsite budget', time: '00:03' },
      { title: 'Bluewater refund', time: '2:05' },
      { title: 'Also Falcon', time: '01:05' }, // snaps to 63 like the first: one chapter per start
      { title: 'Nonsense', time: 'soon' }, // no clock: dropped
      { title: '   ', time: '00:30' }, // no title: dropped
    ];
    const chapters = snapChapters(raw, starts);
    expect(chapters).toEqual([
      { start: 0, time: '00:00', title: 'Offsite budget' },
      { start: 63, time: '01:03', title: 'Falcon release' },
      { start: 122, time: '02:02', title: 'Bluewater refund' },
    ]);
    expect(CONTENT_SCHEMAS.chapter_markers.safeParse(chapters).success).toBe(true);
  });

  it('moves a late first chapter back to the first segment, merges a repeated title, and can leave a later chunk’s first alone', () => {
    const raw = [
      { title: 'Budget', time: '00:20' },
      { title: 'budget!', time: '01:10' },
      { title: 'Refund', time: '02:03' },
    ];
    expect(snapChapters(raw, starts).map((c) => [c.start, c.title])).toEqual([
      [0, 'Budget'],
      [122, 'Refund'],
    ]);
    expect(snapChapters(raw, starts, null)[0].start).toBe(22);
    expect(snapChapters(raw, [])).toEqual([]);
  });

  it('merging chunks keeps every start real and increasing, and the first at the text’s first segment', () => {
    const a = snapChapters([{ title: 'Intro', time: '00:05' }, { title: 'Two', time: '00:20' }], [3, 7, 22], undefined);
    const b = snapChapters([{ title: 'Two again', time: '00:21' }, { title: 'Three', time: '01:04' }], [22, 63, 69], null);
    const merged = mergeChapters([a, b], 3);
    expect(merged.map((c) => c.start)).toEqual([3, 22, 63]);
    expect(CONTENT_SCHEMAS.chapter_markers.safeParse(merged).success).toBe(true);
  });

  it('a chapter starting under 10 s after the one kept before it belongs to that one', () => {
    const raw = ['00:00', '00:07', '00:17', '00:22', '01:03', '01:09'].map((time, i) => ({ title: `T${i}`, time }));
    expect(snapChapters(raw, starts).map((c) => c.start)).toEqual([0, 17, 63]);
  });

  it('the schema rejects non-increasing starts and malformed times', () => {
    expect(CONTENT_SCHEMAS.chapter_markers.safeParse([{ start: 5, time: '00:05', title: 'a' }, { start: 5, time: '00:05', title: 'b' }]).success).toBe(false);
    expect(CONTENT_SCHEMAS.chapter_markers.safeParse([{ start: 5, time: '5s', title: 'a' }]).success).toBe(false);
    expect(CONTENT_SCHEMAS.chapter_markers.safeParse([]).success).toBe(false);
  });
});

describe('key quotes', () => {
  const text = SECTIONS[0].text;
  const lines = sourceLines(text);

  it('reads speakers from plain-text turns and speakers and times from a rendered transcript', () => {
    expect(lines[0]).toEqual({ speaker: 'Priya', text: "Good morning everyone, let's start with the offsite. We agreed to hold it in Lisbon this year." });
    const rendered = transcriptPromptText({ segments: [{ start: 65.4, end: 70, text: ' Hello  there ', speaker: 'Speaker 1', confidence: 1, words: [] }] });
    expect(sourceLines(rendered)).toEqual([{ text: 'Hello there', speaker: 'Speaker 1', time: '01:05' }]);
  });

  it('returns the input’s own words for a match that differs in case, punctuation or spacing', () => {
    const q = locateQuote('the total budget for the offsite is 48 000 euros which covers travel', lines)!;
    expect(q).toEqual({ quote: 'The total budget for the offsite is 48,000 euros, which covers travel', speaker: 'Tomasz' });
    expect(text).toContain(q.quote);
    // A whole sentence keeps its closing punctuation; a part of one ends where the match ends.
    expect(locateQuote('agreed sixty five it is', lines)!.quote).toBe('Agreed, sixty-five it is.');
    expect(locateQuote('I will book the venue in Lisbon this week', lines)!.quote).toBe('I will book the venue in Lisbon this week');
    // Matches are on word boundaries ("get" is not in "budget"), and three words are too few to be a quote.
    expect(locateQuote('get for the offsite is', lines)).toBeUndefined();
    expect(locateQuote('Great, March 14', lines)).toBeUndefined();
  });

  it('strips a copied line prefix, accepts a plain paraphrase as the sentence it paraphrases, drops what is not in the text', () => {
    expect(locateQuote('Tomasz: Yes, I will send the revised budget to finance by Friday.', lines)).toEqual({ quote: 'Yes, I will send the revised budget to finance by Friday.', speaker: 'Tomasz' });
    expect(locateQuote('[00:07] Tomasz: I checked the numbers last night.', lines)!.quote).toBe('I checked the numbers last night.');
    // "That is" for "That's", one word dropped: the sentence itself is returned, verbatim.
    expect(locateQuote('That is within what finance approved', lines)!.quote).toBe("That's within what finance approved.");
    expect(locateQuote('The venue has availability on March 14, so the offsite would run March 14 to 16.', lines)!.quote).toBe(
      'The venue has availability on March 14, so the offsite would run March 14 to March 16.',
    );
    // Invented: never returned.
    expect(locateQuote('We will hold the offsite in Madrid with a budget of 90,000 euros.', lines)).toBeUndefined();
    expect(locateQuote('The budget is 48,000 dollars and covers hotels.', lines)).toBeUndefined();
  });

  it('realQuotes keeps only real quotes, each once, and every one is verbatim in the input', () => {
    const quotes = realQuotes(
      [
        'I will book the venue in Lisbon this week',
        'i will book the venue in lisbon this week!',
        'book the venue in Lisbon this week', // inside the first one
        'Lisbon is the best city in Europe for an offsite.',
        'Priya: Great, March 14 works for the leadership team as well.',
      ],
      lines,
      5,
    );
    expect(quotes.map((q) => q.quote)).toEqual(['I will book the venue in Lisbon this week', 'Great, March 14 works for the leadership team as well.']);
    for (const q of quotes) expect(text).toContain(q.quote);
    expect(CONTENT_SCHEMAS.key_quotes.safeParse(quotes).success).toBe(true);
  });

  it('normalizeWithMap maps every kept character back to the original', () => {
    const s = 'Héllo,  WORLD — 48,000!';
    const { norm, from } = normalizeWithMap(s);
    expect(norm).toBe('héllo world 48 000');
    for (let i = 0; i < norm.length; i++) if (norm[i] !== ' ') expect(s[from[i]].toLowerCase()).toBe(norm[i]);
  });
});

describe('merging per-chunk lists', () => {
  it('dedupes across chunks and, over the cap, takes round-robin so every chunk is represented, in reading order', () => {
    const lists = [['a1', 'a2', 'a3', 'a4'], ['b1', 'A1', 'b2'], ['c1']];
    expect(mergeLists(lists, (s) => s.toLowerCase(), 100)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1']);
    expect(mergeLists(lists, (s) => s.toLowerCase(), 4)).toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('quotes found in two chunks are listed once', () => {
    const q = { quote: 'We agreed to hold it in Lisbon.', speaker: 'Priya' };
    expect(mergeQuotes([[q], [{ ...q, quote: 'we agreed to hold it in lisbon' }]])).toEqual([q]);
  });
});

describe('structured content', () => {
  it('every model-side schema is bounded (items and string lengths), so an answer cannot outrun its budget', () => {
    for (const t of STRUCTURED_TYPES) {
      const s = JSON.stringify(modelSchema(t));
      expect(s).toContain('"maxItems"');
      expect({ t, strings: s.split('"type":"string"').length }).toEqual({ t, strings: s.split('"maxLength"').length });
    }
    expect(JSON.stringify(modelSchema('quiz', 2))).toContain('"maxItems":2');
    // Several cards are asked for by the grammar, never more than a cut-off retry allows.
    expect(JSON.stringify(modelSchema('flashcards'))).toContain('"minItems":3,"maxItems":6');
    expect(JSON.stringify(modelSchema('flashcards', 1))).toContain('"minItems":1,"maxItems":1');
  });

  it('drops quiz questions whose four options are not four different answers, and empty cards', () => {
    const quiz = toQuiz({
      questions: [
        { question: 'Where is the offsite?', options: ['Lisbon', 'Porto', 'Madrid', 'Paris'], answer_index: 0, explanation: 'Priya said Lisbon.' },
        { question: 'What is the budget?', options: ['48,000', '48 000', '12,000', '60,000'], answer_index: 0, explanation: '' },
        { question: '  ', options: ['a', 'b', 'c', 'd'], answer_index: 1, explanation: '' },
      ],
    });
    expect(quiz).toEqual([{ question: 'Where is the offsite?', options: ['Lisbon', 'Porto', 'Madrid', 'Paris'], answer_index: 0, explanation: 'Priya said Lisbon.' }]);
    expect(CONTENT_SCHEMAS.quiz.safeParse(quiz).success).toBe(true);
    expect(CONTENT_SCHEMAS.quiz.safeParse([{ ...quiz[0], options: ['a', 'b', 'c'] }]).success).toBe(false);
    expect(CONTENT_SCHEMAS.quiz.safeParse([{ ...quiz[0], answer_index: 4 }]).success).toBe(false);
    expect(CONTENT_SCHEMAS.quiz.safeParse([]).success).toBe(false);
    const cards = toFlashcards({ cards: [{ front: ' Where? ', back: ' Lisbon ' }, { front: '', back: 'x' }, { front: 'Same', back: 'same' }] });
    expect(cards).toEqual([{ front: 'Where?', back: 'Lisbon' }]);
    expect(CONTENT_SCHEMAS.flashcards.safeParse(cards).success).toBe(true);
    expect(CONTENT_SCHEMAS.flashcards.safeParse([{ front: 'a' }]).success).toBe(false);
  });
});

describe('prose and inputs', () => {
  it('meeting notes open with the speakers of the text; a wrapping code fence is dropped', () => {
    const notes = finishProse('meeting_notes', '```markdown\n## Summary\nLisbon offsite.\n```', SECTIONS[0].text);
    expect(notes).toBe('## Attendees\n- Priya\n- Tomasz\n\n## Summary\nLisbon offsite.');
    expect(finishProse('blog_post', '# Title\nBody', SECTIONS[0].text)).toBe('# Title\nBody');
    expect(speakersOf('Note: a label.\nJust prose here.\nMore prose.')).toEqual([]);
  });

  it('timestamps are found in a rendered transcript, not in plain text', () => {
    expect(hasTimestamps('[00:05] Speaker 1: hello\n[00:09] Speaker 2: hi')).toBe(true);
    expect(hasTimestamps(SECTIONS[0].text)).toBe(false);
  });
});
