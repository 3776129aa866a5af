/**
 * The decoded length of an upload, measured before anything is billed or processed: the probe's
 * duration comes from container metadata, which the uploader wrote and can falsify (a Matroska
 * Duration patched to 1.5 s over 180 s of speech; a cut MP3 whose header still claims 3 minutes).
 * Runs on the gpu queue beside the other heavy media work (a full decode, a few hundred times real
 * time) and heartbeats as the decode advances.
 */
import { Context } from '@temporalio/activity';
import { measureDecodedAudio } from '../lib/audio';
import type { StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';
import { AudioTooLongError } from './limits';

export interface MeasureAudioInput {
  key: string;
  /** The probe's estimate, for progress only. */
  declaredSeconds: number;
  /** The caller's tier limit on decoded audio (anonymous callers), if any. */
  maxSeconds?: number;
}

export interface MeasuredAudio {
  /** Seconds the audio decodes to. */
  seconds: number;
}

export function createMeasureAudioActivity({ config, store }: ActivityDeps) {
  return async function measureAudio(input: MeasureAudioInput): Promise<MeasuredAudio> {
    const ctx = Context.current();
    const limit = input.maxSeconds;
    return withTypedFailures(async () => {
      ctx.heartbeat({ progress: 0 } satisfies StepHeartbeat);
      const seconds = await store.withLocalFile(input.key, (file) =>
        measureDecodedAudio(config.media.ffmpeg, file, {
          signal: ctx.cancellationSignal,
          // Past the limit the answer is "too long" whatever the rest holds: stop decoding there.
          stopAfterSeconds: limit !== undefined ? limit + 1 : undefined,
          onProgress: (s) => ctx.heartbeat({ progress: input.declaredSeconds > 0 ? Math.min(0.99, s / input.declaredSeconds) : 0 } satisfies StepHeartbeat),
        }),
      );
      if (limit !== undefined && seconds > limit) throw new AudioTooLongError(seconds, limit);
      return { seconds };
    });
  };
}
