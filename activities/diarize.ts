/**
 * The diarization step: decode → speaker turns (lib/diarization) → speaker labels merged into the
 * transcript the transcribe step stored. Heartbeats as decoding advances (speech or silence: an hour
 * of silence must not look like a dead worker); a retry starts over (the step runs at about a
 * twentieth of real time, so a checkpoint would save little).
 */
import { Context } from '@temporalio/activity';
import { text } from 'node:stream/consumers';
import { decodePcm16k, PCM_SAMPLE_RATE } from '../lib/audio';
import { labelTranscript } from '../lib/diarization/label-transcript';
import { round3 } from '../lib/round';
import type { Transcript } from '../lib/transcript/types';
import type { StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface DiarizeInput {
  key: string;
  durationSeconds: number;
  /** Exact speaker count, 0 to estimate. */
  speakers: number;
  /** The transcript to label (read), and where the labelled one goes (may be the same key). */
  transcriptKey: string;
  outputKey: string;
  /** Where the raw speaker turns go (JSON), for operators and evaluation. */
  turnsKey: string;
}

export interface DiarizeOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
  turnsKey: string;
  speakers: number;
  turns: number;
  segments: number;
  speechSeconds: number;
}

export function createDiarizeActivity({ config, store, engines }: ActivityDeps) {
  return async function diarize(input: DiarizeInput): Promise<DiarizeOutput> {
    const ctx = Context.current();
    if (!engines) throw new Error('diarize runs on the gpu task queue, whose workers load the inference engines');
    return withTypedFailures(async () => {
      const diarizer = await engines.diarizer();
      const beat = (seconds: number) =>
        ctx.heartbeat({ progress: input.durationSeconds > 0 ? Math.min(0.99, seconds / input.durationSeconds) : 0 } satisfies StepHeartbeat);
      beat(0);
      const result = await store.withLocalFile(input.key, (file) =>
        diarizer.diarize(beatByPosition(decodePcm16k(file, { ffmpeg: config.media.ffmpeg, chunkSamples: 16_000 * 5, signal: ctx.cancellationSignal }), beat), {
          speakers: input.speakers,
          onProgress: beat,
          signal: ctx.cancellationSignal,
        }),
      );
      await store.put(input.turnsKey, JSON.stringify({ speakers: result.speakers, turns: result.turns }), { contentType: 'application/json' });

      const transcript = JSON.parse(await text(await store.get(input.transcriptKey))) as Transcript;
      const labelled = labelTranscript(transcript, result.turns);
      const info = await store.put(input.outputKey, JSON.stringify(labelled), { contentType: 'application/json' });
      beat(input.durationSeconds);
      return {
        key: input.outputKey,
        contentType: 'application/json',
        sizeBytes: info.size,
        turnsKey: input.turnsKey,
        speakers: labelled.speakers.length,
        turns: result.turns.length,
        segments: labelled.segments.length,
        speechSeconds: round3(result.speechSeconds),
      };
    });
  };
}

/** Passes decoded PCM through, heartbeating its position at most once a second. */
async function* beatByPosition(pcm: AsyncIterable<Float32Array>, beat: (seconds: number) => void): AsyncGenerator<Float32Array> {
  let samples = 0;
  let last = Date.now();
  for await (const piece of pcm) {
    samples += piece.length;
    if (Date.now() - last >= 1000) {
      last = Date.now();
      beat(samples / PCM_SAMPLE_RATE);
    }
    yield piece;
  }
}
