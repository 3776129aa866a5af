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
    let agreed = 0;
    while (agreed < words.length && agreed < this.previous.length && norm(words[agreed]) === norm(this.previous[agreed])) agreed++;
    const before = this.stable.length;
    // Monotonic: an agreement shorter than what is already stable keeps the stable words as they are.
    if (agreed > this.stable.length && this.prefixMatches(words)) this.stable = words.slice(0, agreed);
    this.previous = words;
    const tail = words.slice(this.stable.length);
    return { stable: this.stable.join(' '), unstable: tail.join(' '), grew: this.stable.length > before };
  }

  /** The utterance was finalised: start afresh. */
  reset(): void {
    this.previous = [];
    this.stable = [];
  }

  /** True when `words` begins with the stable words (a decode that revises them cannot extend them). */
  private prefixMatches(words: string[]): boolean {
    if (words.length < this.stable.length) return false;
    for (let i = 0; i < this.stable.length; i++) if (norm(words[i]) !== norm(this.stable[i])) return false;
    return true;
  }
}
