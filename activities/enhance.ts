import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { enhanceToWav } from '../lib/audio';
import type { StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface EnhanceInput {
  key: string;
  outputKey: string;
  durationSeconds: number;
}

export interface StoredOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
}

/** Heartbeat at most this often: enough for progress and cancellation, little load on the server. */
const HEARTBEAT_EVERY_MS = 1000;

export function createEnhanceActivity({ config, store }: ActivityDeps) {
  return async function enhance(input: EnhanceInput): Promise<StoredOutput> {
    const ctx = Context.current();
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'voxflow-enhance-'));
    let last = 0;
    const beat = (progress: number) => {
      const now = Date.now();
      if (now - last >= HEARTBEAT_EVERY_MS) {
        last = now;
        ctx.heartbeat({ progress } satisfies StepHeartbeat);
      }
    };
    try {
      return await withTypedFailures(async () => {
        beat(0);
        const out = path.join(tmp, 'enhanced.wav');
        await store.withLocalFile(input.key, (file) =>
          enhanceToWav(file, out, {
            ffmpeg: config.media.ffmpeg,
            durationSeconds: input.durationSeconds,
            onProgress: beat,
            signal: ctx.cancellationSignal,
          }),
        );
        const info = await store.put(input.outputKey, fs.createReadStream(out), { contentType: 'audio/wav' });
        ctx.heartbeat({ progress: 1 } satisfies StepHeartbeat);
        return { key: input.outputKey, contentType: 'audio/wav', sizeBytes: info.size };
      });
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  };
}
