/** A summary cut by its output budget is dropped back to its last complete sentence or list item. */
import { dropUnfinished } from '../../lib/llm/cut-off';
import { summarizeText } from '../../lib/llm/summarize';
import type { GenerateRequest, GenerateResult, LlmModel } from '../../lib/llm/types';

describe('dropUnfinished', () => {
  it('drops the unfinished last sentence of prose, keeping decimals and closing quotes', () => {
    expect(dropUnfinished('The rent is 21,000 euros. The festival is in Valencia. The stand')).toBe('The rent is 21,000 euros. The festival is in Valencia.');
    expect(dropUnfinished('Growth was 3.5 percent. Anna said "we ship in May." Then the')).toBe('Growth was 3.5 percent. Anna said "we ship in May."');
    expect(dropUnfinished('Is it done? Yes! And the next')).toBe('Is it done? Yes!');
  });

  it('keeps a text with nothing complete before the cut, and a finished one as it is', () => {
    expect(dropUnfinished('The warehouse move to Rotterdam with')).toBe('The warehouse move to Rotterdam with');
    expect(dropUnfinished('All done.\n')).toBe('All done.');
  });

  it('drops the last item of a list (the cut one), unless it is the only one', () => {
    expect(dropUnfinished('- Ben: fix the login bug (by Monday)\n- Anna: update the user gu')).toBe('- Ben: fix the login bug (by Monday)');
    expect(dropUnfinished('Summary:\n1. Budget approved.\n2. Venue booked.')).toBe('Summary:\n1. Budget approved.');
    expect(dropUnfinished('- Anna: update the user gu')).toBe('- Anna: update the user gu');
  });
});

/** A model that answers every request with the given text and stop reason. */
const fixed = (text: string, stopReason: GenerateResult['stopReason']): LlmModel => ({
  id: 'fixed',
  contextSize: 4096,
  countTokens: async (s: string) => Math.ceil(s.length / 4),
  release: async () => undefined,
  generate: async (req: GenerateRequest) => ({ text, promptTokens: 10, outputTokens: req.maxTokens, stopReason, ms: 1, firstTokenMs: 1 }),
});
const parts = () => ({ get: async () => undefined, put: async () => undefined });

describe('summarizeText', () => {
  it('trims a summary the output budget cut, and leaves one the model finished untouched', async () => {
    const cut = await summarizeText(fixed('Olga moves the warehouse to Rotterdam. The stand', 'maxTokens'), 'Olga: We move to Rotterdam.', 'brief', { chunkTokens: 1000, parts: parts() });
    expect(cut.summary).toBe('Olga moves the warehouse to Rotterdam.');
    const done = await summarizeText(fixed('Olga moves the warehouse to Rotterdam, and the', 'eos'), 'Olga: We move to Rotterdam.', 'brief', { chunkTokens: 1000, parts: parts() });
    expect(done.summary).toBe('Olga moves the warehouse to Rotterdam, and the');
  });
});
