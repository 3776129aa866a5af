/** The deterministic parts of POST /v1/analyze (lib/llm/analysis-*.ts): turns, questions, commitments and owners, grounding, merging, schema checks. */
import { commitments, dedupeActions } from '../../lib/llm/analysis-actions';
import { groundEntities, mergeActionItems, mergeEntities, mergeQuestions, mergeSentiment, mergeTopics } from '../../lib/llm/analysis-merge';
import { RESULT_SCHEMAS, actionsSchema, schemaErrors, sentimentSchema } from '../../lib/llm/analysis-schemas';
import { questionsOf, speakersOf, turns } from '../../lib/llm/analysis-text';
import { SECTIONS } from '../helpers/planted-transcript';

const TRANSCRIPT = `[00:00] Speaker 1: Welcome. Did you get the agenda?
[00:06] Speaker 2: Yes. What time do we start?
[01:15] Speaker 1: At nine. Did you get the agenda?`;

describe('turns, speakers, questions', () => {
  it('reads timed transcript lines and plain dialogue alike', () => {
    expect(turns(TRANSCRIPT)[1]).toEqual({ speaker: 'Speaker 2', at: 6, text: 'Yes. What time do we start?' });
    expect(turns('Priya: Hello there.\nThe plan we agreed on last week, in short: ship on Friday.\nJust prose.')).toEqual([
      { speaker: 'Priya', at: null, text: 'Hello there.' },
      { speaker: null, at: null, text: 'The plan we agreed on last week, in short: ship on Friday.' },
      { speaker: null, at: null, text: 'Just prose.' },
    ]);
    expect(speakersOf(SECTIONS[0].text)).toEqual(['Priya', 'Tomasz']);
  });

  it('questions with who asked and when, each once per speaker', () => {
    expect(questionsOf(TRANSCRIPT)).toEqual([
      { question: 'Did you get the agenda?', asked_by: 'Speaker 1', at: 0 },
      { question: 'What time do we start?', asked_by: 'Speaker 2', at: 6 },
    ]);
    expect(questionsOf('No questions here. None at all!')).toEqual([]);
  });
});

describe('action items', () => {
  it('owners by rule: "X, can you" is X’s, "I will" the speaker’s; meeting flow is no task', () => {
    const got = commitments(SECTIONS[0].text).map((c) => [c.owner, c.line.slice(0, 30)]);
    expect(got).toEqual([
      ['Tomasz', 'Priya: Tomasz, can you send th'],
      ['Tomasz', 'Tomasz: Yes, I will send the r'],
      ['Priya', 'Priya: And I will book the ven'],
    ]);
    expect(commitments('Marcus: Can you send the deck, Ingrid?\nIngrid: Sure.')[0].owner).toBe('Ingrid');
  });

  it('a task asked and accepted is one item; the grammar fixes ruled owners', () => {
    const items = dedupeActions(
      mergeActionItems([
        [
          { owner: 'Tomasz', task: 'send the revised budget to finance', due: null },
          { owner: 'Tomasz', task: 'Send the revised budget to finance by Friday', due: 'Friday' },
        ],
        [{ owner: 'Priya', task: 'book the venue', due: null }, { owner: ' ', task: '  ', due: null }],
      ]),
    );
    expect(items).toEqual([
      { owner: 'Tomasz', task: 'send the revised budget to finance', due: 'Friday' },
      { owner: 'Priya', task: 'book the venue', due: null },
    ]);
    expect(actionsSchema([['Ben'], ['Anna', 'Ben']])).toMatchObject({ properties: { '1': { properties: { owner: { const: 'Ben' } } }, '2': { properties: { owner: { enum: ['Anna', 'Ben', null] } } } } });
  });
});

describe('entities', () => {
  it('keeps only names that occur (spelled as in the text), speakers as people, no timestamps', () => {
    const got = groundEntities('[00:01] Priya: We fly to Lisbon with Helena Okafor.', [
      { text: 'LISBON', type: 'place' },
      { text: 'Helena Okafor', type: 'organization' },
      { text: 'Lisboa', type: 'place' },
      { text: 'Speaker 1', type: 'person' },
      { text: '00:01', type: 'date' },
    ]);
    expect(got).toEqual([
      { text: 'Priya', type: 'person' },
      { text: 'Lisbon', type: 'place' },
      { text: 'Helena Okafor', type: 'organization' },
    ]);
  });

  it('chunks merge with one entry per name and whole-word mention counts', () => {
    const text = 'Priya met Tomasz. Priya left. Priyanka stayed.';
    expect(mergeEntities(text, [[{ text: 'Priya', type: 'person' }], [{ text: 'priya', type: 'place' }, { text: 'Tomasz', type: 'person' }]])).toEqual([
      { text: 'Priya', type: 'person', mentions: 2 },
      { text: 'Tomasz', type: 'person', mentions: 1 },
    ]);
  });
});

describe('merging', () => {
  it('sentiment: length-weighted score, mixed when chunks disagree in polarity, per speaker across chunks', () => {
    const merged = mergeSentiment([
      { overall: 'positive', score: 0.8, speakers: { A: 'positive' }, weight: 300 },
      { overall: 'negative', score: -2, speakers: { A: 'neutral', B: 'negative' }, weight: 100 },
    ]);
    expect(merged).toEqual({ overall: 'mixed', score: 0.35, speakers: [{ speaker: 'A', overall: 'positive' }, { speaker: 'B', overall: 'negative' }] });
    expect(mergeSentiment([{ overall: 'neutral', score: 0, speakers: {}, weight: 1 }, { overall: 'neutral', score: 0.1, speakers: {}, weight: 1 }]).overall).toBe('neutral');
  });

  it('topics and questions concatenate without duplicates', () => {
    expect(mergeTopics([[{ topic: 'Budget', summary: 'a' }], [{ topic: ' budget ', summary: 'b' }, { topic: 'Hiring', summary: 'c' }]]).map((t) => t.topic)).toEqual(['Budget', 'Hiring']);
    const q = { question: 'Ready?', asked_by: 'A', at: 1 };
    expect(mergeQuestions([[{ ...q, answered: false }], [{ ...q, answered: true }]])).toEqual([{ ...q, answered: true }]);
  });
});

describe('schemas', () => {
  it('the checker finds wrong types, enum values, missing and extra properties, bounds', () => {
    expect(schemaErrors([{ text: 'A', type: 'person', mentions: 1 }], RESULT_SCHEMAS.entities)).toEqual([]);
    expect(schemaErrors([{ text: 'A', type: 'alien', mentions: 0, extra: 1 }], RESULT_SCHEMAS.entities)).toEqual([
      '$[0].type: "alien" is not one of person, place, organization, date, money, product, other',
      '$[0].mentions: 0 < 1',
      '$[0].extra: not in the schema',
    ]);
    expect(schemaErrors({ overall: 'positive', score: 2, speakers: [] }, RESULT_SCHEMAS.sentiment)).toEqual(['$.score: 2 > 1']);
    expect(schemaErrors({ redacted_text: 'x' }, RESULT_SCHEMAS.pii_redact)).toEqual(['$.redactions: missing']);
    expect(schemaErrors([{ owner: null, task: 't', due: 3 }], RESULT_SCHEMAS.action_items)).toEqual(['$[0].due: integer, expected string or null']);
  });

  it('sentiment asks for each speaker exactly once', () => {
    expect(sentimentSchema(['A', 'B'])).toMatchObject({ properties: { speakers: { properties: { A: {}, B: {} } } } });
    expect(sentimentSchema([])).not.toHaveProperty('properties.speakers');
  });
});

describe('names one letter off', () => {
  it('snap to the text’s own spelling, only when that close', () => {
    const { nearName } = jest.requireActual('../../lib/llm/analysis-merge') as typeof import('../../lib/llm/analysis-merge');
    const content = 'We agreed to hold the offsite in Lisbon with Helena Okafor.';
    expect(nearName(content, 'Lisboa')).toBe('Lisbon');
    expect(nearName(content, 'Helena Okafur')).toBe('Helena Okafor');
    expect(nearName(content, 'Lisboaa')).toBeUndefined();
    expect(nearName(content, 'London')).toBeUndefined();
    expect(nearName(content, 'offsit')).toBeUndefined();
  });

  it('grounding keeps a one-letter-off place under the text’s spelling, and drops non-names', () => {
    const got = groundEntities('Priya: Book Lisbon for Helena Okafor. Her assistant has the card.', [
      { text: 'Lisboa', type: 'place' },
      { text: 'Her assistant', type: 'person' },
      { text: 'card', type: 'place' },
    ]);
    expect(got).toEqual([
      { text: 'Priya', type: 'person' },
      { text: 'Lisbon', type: 'place' },
    ]);
  });
});
