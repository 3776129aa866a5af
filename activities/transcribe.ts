/**
 * The transcription step: decode → VAD speech chunks → Whisper per chunk. Each finished chunk is
 * stored as a part and heartbeated as a checkpoint, so a retry after a crash resumes from the last
 * finished chunk instead of from zero. The assembled transcript goes to storage (claim check).
 */
import { Context } from '@temporalio/activity';
import { text } from 'node:stream/consumers';
import { decodePcm16k } from '../lib/audio';
import { speechChunks } from '../lib/asr/chunker';
import { assembleTranscript, type TranscriptPart } from '../lib/asr/assemble';
import { type StepHeartbeat, type TranscribeOptions, type TranscriptSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface TranscribeInput {
  jobId: string;
  key: string;
  durationSeconds: number;
  options: TranscribeOptions;
  outputKey: string;
}

export interface TranscribeOutput extends TranscriptSummary {
  key: string;
  contentType: string;
  sizeBytes: number;
  /** Seconds of audio that an earlier, interrupted attempt had already transcribed (0 on a clean run). */
  resumedFromS: number;
}

/** Resume point carried in heartbeat details. */
export interface TranscribeCheckpoint {
  /** Seconds of source audio fully transcribed. */
  offsetS: number;
  parts: number;
  language?: string;
  languageProbability?: number;
}

const partKey = (jobId: string, i: number) => `jobs/${jobId}/transcribe/part-${String(i).padStart(5, '0')}.json`;

export function createTranscribeActivity({ config, store, engines }: ActivityDeps) {
  return async function transcribe(input: TranscribeInput): Promise<TranscribeOutput> {
    const ctx = Context.current();
    if (!engines) throw new Error('transcribe runs on the gpu task queue, whose workers load the inference engines');
    return withTypedFailures(async () => {
      const recognizer = await engines.recognizer(input.options.model);
      const vad = await engines.vad();
      const resumed = (ctx.info.heartbeatDetails as StepHeartbeat | undefined)?.resumeFrom as TranscribeCheckpoint | undefined;
      const cp: TranscribeCheckpoint = resumed ?? { offsetS: 0, parts: 0 };
      const resumedFromS = cp.offsetS;
      if (input.options.language !== 'auto') cp.language = input.options.language;
      ctx.heartbeat({ progress: progressOf(cp, input), resumeFrom: cp } satisfies StepHeartbeat);

      await store.withLocalFile(input.key, async (file) => {
        const pcm = decodePcm16k(file, { ffmpeg: config.media.ffmpeg, startSeconds: cp.offsetS, chunkSamples: 16_000 * 5, signal: ctx.cancellationSignal });
        for await (const chunk of speechChunks(pcm, vad, { offsetS: cp.offsetS })) {
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
          if (!cp.language) {
            const detected = recognizer.multilingual ? await recognizer.detectLanguage(chunk.pcm) : { language: 'en', probability: 1 };
            cp.language = detected.language;
            cp.languageProbability = detected.probability;
          }
          const res = await recognizer.transcribeChunk(chunk.pcm, {
            language: cp.language,
            wordTimestamps: input.options.wordTimestamps,
            temperatureFallback: true,
          });
          const part: TranscriptPart = { chunkStart: chunk.start, chunkEnd: chunk.end, segments: res.segments };
          await store.put(partKey(input.jobId, cp.parts), JSON.stringify(part), { contentType: 'application/json' });
          cp.parts += 1;
          cp.offsetS = chunk.end;
          ctx.heartbeat({ progress: progressOf(cp, input), resumeFrom: cp } satisfies StepHeartbeat);
        }
      });

      const parts: TranscriptPart[] = [];
      for (let i = 0; i < cp.parts; i++) parts.push(JSON.parse(await text(await store.get(partKey(input.jobId, i)))));
      const transcript = assembleTranscript(parts, {
        model: input.options.model, // the public id; the manifest's id names the weights' source
        language: cp.language ?? (input.options.language === 'auto' ? 'en' : input.options.language),
        languageProbability: input.options.language === 'auto' ? cp.languageProbability : undefined,
        duration: input.durationSeconds,
      });
      const body = JSON.stringify(transcript);
      const info = await store.put(input.outputKey, body, { contentType: 'application/json' });
      for (let i = 0; i < cp.parts; i++) await store.delete(partKey(input.jobId, i));
      ctx.heartbeat({ progress: 1, resumeFrom: cp } satisfies StepHeartbeat);
      return {
        key: input.outputKey,
        contentType: 'application/json',
        sizeBytes: info.size,
        model: transcript.model,
        language: transcript.language,
        languageProbability: transcript.language_probability,
        segments: transcript.segments.length,
        words: transcript.segments.reduce((a, s) => a + s.words.length, 0),
        speechSeconds: parts.reduce((a, p) => a + (p.chunkEnd - p.chunkStart), 0),
        resumedFromS,
      };
    });
  };
}

const progressOf = (cp: TranscribeCheckpoint, input: TranscribeInput) =>
  input.durationSeconds > 0 ? Math.min(0.99, cp.offsetS / input.durationSeconds) : 0;
