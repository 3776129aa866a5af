/**
 * A Piper (VITS) voice in onnxruntime-node: phoneme ids of one sentence → float audio at the voice's
 * sample rate. Inputs as Piper's runtime feeds them: `input` [1, n] int64, `input_lengths` [1] int64,
 * `scales` [noise_scale, length_scale, noise_w] float32 from the voice's .onnx.json (`sid` only for
 * multi-speaker voices). Output peak-normalized per sentence, as Piper does by default.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ortSessionOptions, type OrtSessionSettings } from '../onnx/session-options';
import { readVoiceConfig, type PiperVoiceConfig } from './voice-config';

/** A voice's onnxruntime arena unless the caller says otherwise (see PiperVoice.load). */
export const VOICE_MEMORY_ARENA = true;

export interface VoiceManifest {
  model_id: string;
  name: string;
  file: string;
  config: string;
  sample_rate: number;
  voice_cloning: boolean;
}

export class PiperVoice {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly id: string,
    readonly config: PiperVoiceConfig,
  ) {}

  get sampleRate(): number {
    return this.config.sampleRate;
  }

  /**
   * `memoryArena` defaults to ON for a voice, unlike the service-wide default (off, which suits
   * Whisper's fixed-size runs): each sentence is a run of another length, and with onnxruntime's CPU
   * arena and memory patterns off every run allocates its activations afresh. That was the gap to
   * Piper's own runtime (which leaves onnxruntime's defaults on): see `npm run bench -- tts`, where
   * the arena-off row is this voice as the service loaded it before.
   */
  static async load(dir: string, opts: OrtSessionSettings = {}): Promise<PiperVoice> {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VoiceManifest;
    const config = readVoiceConfig(path.join(dir, manifest.config));
    const session = await ort.InferenceSession.create(path.join(dir, manifest.file), ortSessionOptions({ ...opts, memoryArena: opts.memoryArena ?? VOICE_MEMORY_ARENA }));
    return new PiperVoice(session, manifest.model_id, config);
  }

  /** One sentence's audio in [-1, 1]. `ids` from phonemesToIds. */
  async synthesizeIds(ids: readonly number[]): Promise<Float32Array> {
    const { noiseScale, lengthScale, noiseW } = this.config;
    const feeds: Record<string, ort.Tensor> = {
      input: new ort.Tensor('int64', BigInt64Array.from(ids, (i) => BigInt(i)), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids.length)]), [1]),
      scales: new ort.Tensor('float32', Float32Array.from([noiseScale, lengthScale, noiseW]), [3]),
    };
    if (this.config.numSpeakers > 1) feeds.sid = new ort.Tensor('int64', BigInt64Array.from([0n]), [1]);
    const out = await this.session.run(feeds);
    const audio = new Float32Array(out[this.session.outputNames[0]].data as Float32Array);
    let peak = 0;
    for (const v of audio) peak = Math.max(peak, Math.abs(v));
    if (peak < 1e-8) return audio.fill(0);
    for (let i = 0; i < audio.length; i++) audio[i] = Math.max(-1, Math.min(1, audio[i] / peak));
    return audio;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
