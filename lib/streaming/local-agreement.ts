/**
 * Local agreement (as in whisper_streaming's LocalAgreement-2): a word of the open utterance becomes
 * stable once two consecutive decodes agree on it and on every word before it. Stable words never
 * change or disappear again until the utterance is finalised, so a `partial` built from them does not
 * flicker; what the latest decode says beyond them is the unstable tail, sent apart and marked.
 */
const norm = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

export class LocalAgreement {
  private previous: string[] = [];
  private stable: string[] = [];

  /** Feeds one decode of the whole open utterance; returns the stable prefix and the unstable tail. */
  update(text: string): { stable: string; unstable: string; grew: boolean } {
    const words = text.split(/\s+/).filter(Boolean);
    const before = this.stable.length;
    // Past the stable words (kept as first agreed, even if a decode revises one: no flicker), the
    // two latest decodes' common prefix becomes stable too.
    let agreed = before;
    while (agreed < words.length && agreed < this.previous.length && norm(words[agreed]) === norm(this.previous[agreed])) agreed++;
    if (agreed > before) this.stable = [...this.stable, ...words.slice(before, agreed)];
    this.previous = words;
    const tail = words.slice(this.stable.length);
    return { stable: this.stable.join(' '), unstable: tail.join(' '), grew: this.stable.length > before };
  }

  /** The utterance was finalised: start afresh. */
  reset(): void {
    this.previous = [];
    this.stable = [];
  }
}
