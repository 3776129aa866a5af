/**
 * The enhance step: a neural denoiser (lib/denoise/) streamed over the decoded audio, then
 * loudness normalisation; or ffmpeg's filter chain when the job asks for `ffmpeg`/`none` (and for
 * jobs started before denoisers existed, whose input carries no options).
 *
 * Resumable like transcription: every CHECKPOINT_S of input the denoised audio since the last
 * checkpoint is stored as a part, with the model's state after it, and the heartbeat names the
 * parts. A retry (another worker, after a crash) fetches the parts, restores the state and
 * decodes on from that second; the output equals an unbroken run's. Parts live beside the output
 * and are deleted once the output is stored (retention removes any a failed job leaves).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { buffer } from 'node:stream/consumers';
import { DEFAULT_LOUDNESS_LUFS, DEFAULT_OUTPUT_SAMPLE_RATE, enhanceToWav, normalizeRawPcm, PCM_SAMPLE_RATE } from '../lib/audio';
import { isFilterChoice } from '../lib/denoise/catalog';
import { denoiseFile, type DenoiseCheckpoint } from '../lib/denoise/denoise-file';
import type { MixSnapshot } from '../lib/denoise/mix';
import type { ObjectStore } from '../lib/storage';
import type { EnhanceOptions, EnhanceSummary, StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface EnhanceInput {
  key: string;
  outputKey: string;
  durationSeconds: number;
  /** Absent (jobs started before denoisers): the ffmpeg chain at -16 LUFS, 48 kHz. */
  options?: EnhanceOptions;
}

export interface StoredOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
}

export interface EnhanceOutput extends StoredOutput {
  enhance: EnhanceSummary;
}

/** Resume point carried in heartbeat details: parts stored so far and the input they cover. */
export interface EnhanceCheckpoint {
  parts: number;
  inputSamples: number;
}

/** Heartbeat at most this often: enough for progress and cancellation, little load on the server. */
const HEARTBEAT_EVERY_MS = 1000;
/** Input seconds per stored part (16 kHz float: 3.8 MB each): what a crash can cost at most. */
export const CHECKPOINT_S = 60;
/** The denoising share of the step's progress; loudness normalisation is the rest. */
const DENOISE_SHARE = 0.8;

const LEGACY: EnhanceOptions = { model: 'ffmpeg', strength: 1, loudnessLufs: DEFAULT_LOUDNESS_LUFS, sampleRate: DEFAULT_OUTPUT_SAMPLE_RATE };

export const enhancePartKey = (outputKey: string, n: number) => `${outputKey}.parts/${String(n).padStart(6, '0')}.f32`;
export const enhanceStateKey = (outputKey: string, n: number) => `${outputKey}.parts/${String(n).padStart(6, '0')}.state.json`;
const partsPrefix = (outputKey: string) => `${outputKey}.parts/`;

export function createEnhanceActivity({ config, store, engines, log }: ActivityDeps) {
  return async function enhance(input: EnhanceInput): Promise<EnhanceOutput> {
    const ctx = Context.current();
    const options = input.options ?? LEGACY;
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'voxflow-enhance-'));
    let cp: EnhanceCheckpoint = { parts: 0, inputSamples: 0 };
    let last = 0;
    const beat = (progress: number, force = false) => {
      const now = Date.now();
      if (force || now - last >= HEARTBEAT_EVERY_MS) {
        last = now;
        ctx.heartbeat({ progress, resumeFrom: { ...cp } } satisfies StepHeartbeat);
      }
    };
    try {
      return await withTypedFailures(async () => {
        beat(0, true);
        const out = path.join(tmp, 'enhanced.wav');
        const common = { ffmpeg: config.media.ffmpeg, durationSeconds: input.durationSeconds, signal: ctx.cancellationSignal, loudnessLufs: options.loudnessLufs, sampleRate: options.sampleRate };
        let resumedFromS = 0;
        if (isFilterChoice(options.model)) {
          await store.withLocalFile(input.key, (file) => enhanceToWav(file, out, { ...common, filter: options.model as 'ffmpeg' | 'none', onProgress: (p) => beat(p) }));
        } else {
          if (!engines?.denoiser) throw new Error('enhance with a neural denoiser runs on the gpu task queue, whose workers load the inference engines');
          const model = await engines.denoiser(options.model);
          const raw = path.join(tmp, 'denoised.f32');
          const handed = (ctx.info.heartbeatDetails as StepHeartbeat | undefined)?.resumeFrom as EnhanceCheckpoint | undefined;
          const from = handed && handed.parts > 0 ? await restore(store, input.outputKey, handed, raw).catch((err) => {
            log.warn({ outputKey: input.outputKey, parts: handed.parts, err: (err as Error).message }, 'enhance checkpoint unusable; denoising from the start');
            return undefined;
          }) : undefined;
          if (from) cp = { parts: handed!.parts, inputSamples: from.inputSamples };
          else await fsp.writeFile(raw, Buffer.alloc(0));
          resumedFromS = cp.inputSamples / PCM_SAMPLE_RATE;
          const sink = fs.createWriteStream(raw, { flags: 'a' });
          const part: Buffer[] = [];
          const total = Math.max(input.durationSeconds, 1e-9);
          try {
            await store.withLocalFile(input.key, (file) =>
              denoiseFile(file, {
                ffmpeg: config.media.ffmpeg,
                model,
                strength: options.strength,
                signal: ctx.cancellationSignal,
                from,
                checkpointSamples: CHECKPOINT_S * PCM_SAMPLE_RATE,
                onOutput: async (pcm) => {
                  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
                  part.push(bytes);
                  if (!sink.write(bytes)) await new Promise<void>((resolve) => sink.once('drain', resolve));
                },
                onCheckpoint: async (next: DenoiseCheckpoint) => {
                  await store.put(enhancePartKey(input.outputKey, cp.parts), Buffer.concat(part.splice(0)), { contentType: 'application/octet-stream' });
                  await store.put(enhanceStateKey(input.outputKey, cp.parts), JSON.stringify(next), { contentType: 'application/json' });
                  cp = { parts: cp.parts + 1, inputSamples: next.inputSamples };
                  beat(DENOISE_SHARE * Math.min(1, next.inputSamples / PCM_SAMPLE_RATE / total), true);
                },
                onProgress: (s) => beat(DENOISE_SHARE * Math.min(1, s / total)),
              }),
            );
          } finally {
            await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
          }
          await normalizeRawPcm(raw, PCM_SAMPLE_RATE, out, { ...common, onProgress: (p) => beat(DENOISE_SHARE + (1 - DENOISE_SHARE) * p) });
        }
        const info = await store.put(input.outputKey, fs.createReadStream(out), { contentType: 'audio/wav' });
        await store.deletePrefix(partsPrefix(input.outputKey)).catch(() => undefined);
        ctx.heartbeat({ progress: 1 } satisfies StepHeartbeat);
        const { model, strength, loudnessLufs, sampleRate } = options;
        return { key: input.outputKey, contentType: 'audio/wav', sizeBytes: info.size, enhance: { model, strength: isFilterChoice(model) ? 1 : strength, loudnessLufs, sampleRate, resumedFromS } };
      });
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  };
}

/** Rebuilds the local denoised file from the stored parts; returns the state to continue from. */
async function restore(store: ObjectStore, outputKey: string, cp: EnhanceCheckpoint, raw: string): Promise<DenoiseCheckpoint> {
  await fsp.writeFile(raw, Buffer.alloc(0));
  for (let i = 0; i < cp.parts; i++) await fsp.appendFile(raw, await buffer(await store.get(enhancePartKey(outputKey, i))));
  const state = JSON.parse((await buffer(await store.get(enhanceStateKey(outputKey, cp.parts - 1)))).toString('utf8')) as { inputSamples: number; snapshot: MixSnapshot };
  if (state.inputSamples !== cp.inputSamples) throw new Error(`part ${cp.parts - 1} covers ${state.inputSamples} samples, the checkpoint says ${cp.inputSamples}`);
  return state;
}
