/**
 * Where the `tts` step stores each sentence's PCM while it synthesizes, so that the API can stream
 * the speech as it is made and a retried attempt can resume after the sentences already stored.
 *
 * Part i is `<outputKey>.parts/<i, 6 digits>.pcm`: the sentence's 16-bit mono samples at the voice's
 * rate, exactly the bytes the final WAV holds for it (the final WAV is the 44-byte header then every
 * part in order). Parts are written whole (one put each), in order, and deleted once the final WAV
 * is stored; a reader that finds one missing falls back to the final WAV at the same byte offset.
 */
import type { ObjectStore } from '../storage/types';

export const partsPrefix = (outputKey: string) => `${outputKey}.parts/`;
export const partKey = (outputKey: string, index: number) => `${partsPrefix(outputKey)}${String(index).padStart(6, '0')}.pcm`;

/**
 * How many sentences are already stored, counted from the first: the store, not the last heartbeat,
 * is the truth (a part can be stored after the attempt's last heartbeat got through), and a part
 * once stored may already have been streamed to the client, so it is never synthesized again.
 */
export async function storedPartCount(store: ObjectStore, outputKey: string): Promise<number> {
  const prefix = partsPrefix(outputKey);
  let n = 0;
  for await (const o of store.list(prefix)) {
    if (o.key !== partKey(outputKey, n)) break;
    n++;
  }
  return n;
}
