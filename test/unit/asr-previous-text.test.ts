/** The decoder prompt carried between speech chunks (lib/asr/previous-text.ts): condition_on_previous_text. */
import { PreviousText } from '../../lib/asr/previous-text';

describe('previous text prompt', () => {
  it('grows with each chunk, keeps the most recent tokens, and restarts after a chunk decoded hot', () => {
    const ctx = new PreviousText();
    expect(ctx.tokens).toEqual([]);
    ctx.add({ temperature: 0, segments: [{ tokens: [1, 2] }, { tokens: [3] }, {}] });
    ctx.add({ temperature: 0.4, segments: [{ tokens: [4] }] });
    expect(ctx.tokens).toEqual([1, 2, 3, 4]);
    ctx.add({ temperature: 0, segments: [{ tokens: Array.from({ length: 300 }, (_, i) => 100 + i) }] });
    expect(ctx.tokens.length).toBeGreaterThanOrEqual(223); // the model reads the last 223
    expect(ctx.tokens[ctx.tokens.length - 1]).toBe(399);
    // faster-whisper's prompt_reset_on_temperature: a chunk sampled above 0.5 is likely wrong, so it prompts nothing.
    ctx.add({ temperature: 0.6, segments: [{ tokens: [7, 8] }] });
    expect(ctx.tokens).toEqual([]);
  });
});
