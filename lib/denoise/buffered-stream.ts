import { concat, type DenoiseSnapshot, type DenoiseStream } from './types';

/**
 * What both denoiser streams share: input waits in `pending` until a whole block is there, and at
 * the end zeros are fed, `tail` samples at a time, until every sample given has come back.
 */
export abstract class BufferedStream implements DenoiseStream {
  protected constructor(
    private readonly tail: number,
    protected pending: Float32Array,
    protected given: number,
    protected returned: number,
  ) {}

  async push(input: Float32Array): Promise<Float32Array> {
    this.given += input.length;
    this.pending = concat(this.pending, input);
    return this.drain();
  }

  async finish(): Promise<Float32Array> {
    const out: Float32Array[] = [];
    while (this.returned < this.given) {
      this.pending = concat(this.pending, new Float32Array(this.tail));
      out.push(await this.drain());
    }
    return out.reduce(concat, new Float32Array(0));
  }

  abstract snapshot(): DenoiseSnapshot;

  /** Runs every complete block in `pending`; returns the samples they made final (advancing `returned`). */
  protected abstract drain(): Promise<Float32Array>;
}
