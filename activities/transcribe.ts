/**
 * The transcription step: decode → VAD speech chunks → Whisper per chunk. Each finished chunk is
 * stored as a part and heartbeated as a checkpoint, so a retry after a crash resumes from the last
 * finished chunk instead of from zero; through silence the checkpoint advances with the decoded
 * position. The assembled transcript goes to storage (claim check), then a record of the step's
 * result, which a retry of an attempt that finished but could not report reuses as is.
 */
import { Context } from '@temporalio/activity';
import { text } from 'node:stream/consumers';
import { decodePcm16k } from '../lib/audio';
import { speechChunks, type ChunkerProgress } from '../lib/asr/chunker';
import { assembleTranscript, type TranscriptPart } from '../lib/asr/assemble';
import { transcribeCovering } from '../lib/asr/coverage';
import { PreviousText } from '../lib/asr/previous-text';
import { voteLanguage } from '../lib/asr/language-vote';
import type { ObjectStore } from '../lib/storage';
import { type StepHeartbeat, type TranscribeOptions, type TranscriptSummary } from '../workflows/model';
import { transcribePartKey, transcribePartsPrefix, transcribeResultKey } from '../workflows/storage-keys';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';
import { round3 } from '../lib/round';

export interface TranscribeInput {
  jobId: string;
  key: string;
  durationSeconds: number;
  options: TranscribeOptions;
  outputKey: string;
  /**
   * 'workflow': the workflow deletes the parts once it has recorded this step's result (a retry
   * may be handed any older checkpoint). Absent for jobs started before that: the step deletes them.
   */
  partsDeletedBy?: 'workflow';
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

/** Heartbeat at most this often through silence (the SDK throttles too; this spares the JSON). */
const POSITION_BEAT_MS = 1000;
const KEEPALIVE_BEAT_MS = 5000;

export function createTranscribeActivity({ config, store, engines, log }: ActivityDeps) {
  return async function transcribe(input: TranscribeInput): Promise<TranscribeOutput> {
    const ctx = Context.current();
    if (!engines) throw new Error('transcribe runs on the gpu task queue, whose workers load the inference engines');
    return withTypedFailures(async () => {
      // An earlier attempt may have finished and stored everything, then failed to report (the
      // Temporal server was down): its recorded result is reused, whatever checkpoint we were handed.
      const finished = await finishedResult(store, input);
      if (finished) {
        ctx.heartbeat({ progress: 1 } satisfies StepHeartbeat);
        return finished;
      }
      const recognizer = await engines.recognizer(input.options.model);
      const vad = await engines.vad();
      const handed = (ctx.info.heartbeatDetails as StepHeartbeat | undefined)?.resumeFrom as TranscribeCheckpoint | undefined;
      // Parts stay until the workflow records the step's result, so any checkpoint names parts that
      // exist; should one be gone anyway (an operator, retention), start over rather than fail.
      const usable = handed && (await partsExist(store, input.jobId, handed.parts));
      if (handed && !usable) log.warn({ jobId: input.jobId, parts: handed.parts }, 'checkpoint parts missing; transcribing from the start');
      const cp: TranscribeCheckpoint = usable ? { ...handed } : { offsetS: 0, parts: 0 };
      const resumedFromS = cp.offsetS;
      if (input.options.language !== 'auto') cp.language = input.options.language;
      const beat = () => ctx.heartbeat({ progress: progressOf(cp, input), resumeFrom: { ...cp } } satisfies StepHeartbeat);
      beat();

      let lastBeat = Date.now();
      // Heartbeat by audio position, speech or not: a long silence must neither look like a dead
      // worker nor be decoded again by a retry.
      const onProgress = ({ settled }: ChunkerProgress) => {
        cp.offsetS = Math.max(cp.offsetS, settled);
        if (Date.now() - lastBeat >= POSITION_BEAT_MS) {
          lastBeat = Date.now();
          beat();
        }
      };

      await store.withLocalFile(input.key, async (file) => {
        if (!cp.language && recognizer.multilingual) {
          // The language of the whole file, voted over windows across it, not of its first seconds.
          const vote = await whileAlive(beat, () => voteLanguage(recognizer, vad, { file, durationSeconds: input.durationSeconds, ffmpeg: config.media.ffmpeg, signal: ctx.cancellationSignal }));
          if (vote) {
            cp.language = vote.language;
            cp.languageProbability = vote.probability;
            log.info({ jobId: input.jobId, language: vote.language, probability: vote.probability, windows: vote.windows }, 'language voted');
          }
        }
        const pcm = decodePcm16k(file, { ffmpeg: config.media.ffmpeg, startSeconds: cp.offsetS, chunkSamples: 16_000 * 5, signal: ctx.cancellationSignal });
        // Each chunk is decoded with the text before it as the prompt (condition_on_previous_text); after a
        // resume it starts cold, as the checkpoint holds no tokens.
        const context = new PreviousText();
        for await (const chunk of speechChunks(pcm, vad, { offsetS: cp.offsetS, onProgress })) {
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
          if (!cp.language) {
            const detected = recognizer.multilingual ? await whileAlive(beat, () => recognizer.detectLanguage(chunk.pcm)) : { language: 'en', probability: 1 };
            cp.language = detected.language;
            cp.languageProbability = detected.probability;
          }
          // Coverage is judged by word timings, so they are computed even when the caller did not ask for them.
          const res = await whileAlive(beat, () => transcribeCovering(recognizer, chunk, { language: cp.language!, task: input.options.task, wordTimestamps: true, temperatureFallback: true, previousTokens: context.tokens, signal: ctx.cancellationSignal }));
          context.add(res);
          if (res.dropped.length) log.warn({ jobId: input.jobId, chunkStart: chunk.start, dropped: res.dropped }, 'speech regions left without text');
          const segments = input.options.wordTimestamps ? res.segments : res.segments.map((s) => ({ ...s, words: [] }));
          const part: TranscriptPart = { chunkStart: chunk.start, chunkEnd: chunk.end, segments, dropped: res.dropped, redecoded: res.redecoded };
          await store.put(transcribePartKey(input.jobId, cp.parts), JSON.stringify(part), { contentType: 'application/json' });
          cp.parts += 1;
          cp.offsetS = Math.max(cp.offsetS, chunk.end);
          lastBeat = Date.now();
          beat();
        }
      });

      const parts: TranscriptPart[] = [];
      for (let i = 0; i < cp.parts; i++) parts.push(JSON.parse(await text(await store.get(transcribePartKey(input.jobId, i)))));
      const transcript = assembleTranscript(parts, {
        model: input.options.model, // the public id; the manifest's id names the weights' source
        language: cp.language ?? (input.options.language === 'auto' ? 'en' : input.options.language),
        languageProbability: input.options.language === 'auto' ? cp.languageProbability : undefined,
        duration: input.durationSeconds,
      });
      const body = JSON.stringify(transcript);
      const info = await store.put(input.outputKey, body, { contentType: 'application/json' });
      const result: TranscribeOutput = {
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
        redecodedRegions: parts.reduce((a, p) => a + (p.redecoded ?? 0), 0),
        droppedRegions: parts.reduce((a, p) => a + (p.dropped?.length ?? 0), 0),
        droppedSeconds: round3(parts.reduce((a, p) => a + (p.dropped ?? []).reduce((b, d) => b + d.end - d.start, 0), 0)),
      };
      // Written last: its presence says the transcript above is complete. The parts stay: the
      // workflow deletes them once this result is in its history.
      await store.put(transcribeResultKey(input.jobId), JSON.stringify({ outputKey: input.outputKey, result }), { contentType: 'application/json' });
      if (input.partsDeletedBy !== 'workflow') await store.deletePrefix(transcribePartsPrefix(input.jobId));
      ctx.heartbeat({ progress: 1, resumeFrom: cp } satisfies StepHeartbeat);
      return result;
    });
  };
}

/**
 * Heartbeats every few seconds while one chunk is recognised: a 30 s chunk with temperature
 * fallback on a busy CPU can take longer than the heartbeat timeout, and a retry would redo it
 * (and time out again). onnxruntime runs off the event loop, so the timer fires between its runs;
 * a worker that really dies stops beating, and startToCloseTimeout bounds a hung model.
 */
async function whileAlive<T>(beat: () => void, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(beat, KEEPALIVE_BEAT_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** The result an earlier attempt of this step recorded, if its transcript is still there whole. */
async function finishedResult(store: ObjectStore, input: TranscribeInput): Promise<TranscribeOutput | undefined> {
  const record = await store.stat(transcribeResultKey(input.jobId));
  if (!record) return undefined;
  const { outputKey, result } = JSON.parse(await text(await store.get(transcribeResultKey(input.jobId)))) as { outputKey: string; result: TranscribeOutput };
  if (outputKey !== input.outputKey) return undefined;
  const out = await store.stat(input.outputKey);
  return out && out.size === result.sizeBytes ? result : undefined;
}

async function partsExist(store: ObjectStore, jobId: string, parts: number): Promise<boolean> {
  for (let i = 0; i < parts; i++) if (!(await store.stat(transcribePartKey(jobId, i)))) return false;
  return true;
}

const progressOf = (cp: TranscribeCheckpoint, input: TranscribeInput) =>
  input.durationSeconds > 0 ? Math.min(0.99, cp.offsetS / input.durationSeconds) : 0;
