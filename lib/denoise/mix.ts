/**
 * Denoise strength: the output is strength·denoised + (1 − strength)·original, sample-aligned (the
 * streams return output aligned with their input). The original samples still waiting for their
 * denoised counterpart are part of the snapshot, so a resumed stream mixes exactly as an unbroken one.
 */
import { concat, decodeAny, encodeArray, type DenoiseSnapshot, type DenoiseStream, type DenoiserModel } from './types';

export interface MixSnapshot {
  model: DenoiseSnapshot;
  dry: string;
}

export class MixedStream {
  private readonly inner: DenoiseStream;
  private dry: Float32Array;

  constructor(model: DenoiserModel, private readonly strength: number, from?: MixSnapshot, signal?: AbortSignal) {
    if (!(strength >= 0 && strength <= 1)) throw new Error(`denoise strength must be within 0..1, got ${strength}`);
    this.inner = model.stream(from?.model, signal);
    this.dry = from ? decodeAny(from.dry) : new Float32Array(0);
  }

  async push(input: Float32Array): Promise<Float32Array> {
    if (this.strength < 1) this.dry = concat(this.dry, input);
    return this.mix(await this.inner.push(input));
  }

  async finish(): Promise<Float32Array> {
    return this.mix(await this.inner.finish());
  }

  snapshot(): MixSnapshot {
    return { model: this.inner.snapshot(), dry: encodeArray(this.dry) };
  }

  private mix(wet: Float32Array): Float32Array {
    if (this.strength >= 1) return wet;
    const s = this.strength;
    for (let i = 0; i < wet.length; i++) wet[i] = s * wet[i] + (1 - s) * this.dry[i];
    this.dry = this.dry.slice(wet.length);
    return wet;
  }
}
