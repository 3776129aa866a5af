/** The recent audio of one stream, addressed by absolute sample index; the front is dropped as it ages. */
export class AudioWindow {
  private buf = new Float32Array(16_000 * 4);
  private start = 0; // absolute index of buf[0]
  private length = 0;

  get end(): number {
    return this.start + this.length;
  }

  append(pcm: Float32Array): void {
    if (this.length + pcm.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.buf.length * 2, this.length + pcm.length));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(pcm, this.length);
    this.length += pcm.length;
  }

  /** A copy of samples [from, to) (clamped to what is held). */
  slice(from: number, to: number): Float32Array {
    const a = Math.max(from, this.start) - this.start;
    const b = Math.min(to, this.end) - this.start;
    return b > a ? this.buf.slice(a, b) : new Float32Array(0);
  }

  /** Forgets samples before `abs`. */
  dropBefore(abs: number): void {
    const n = Math.min(this.length, Math.max(0, abs - this.start));
    if (n === 0) return;
    this.buf.copyWithin(0, n, this.length);
    this.start += n;
    this.length -= n;
  }
}
