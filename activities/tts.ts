/**
 * The `tts` step: checks the reference clip (when one was sent) holds speech, by the Silero VAD,
 * then synthesizes the stored text with an installed Piper voice, sentence by sentence, storing each
 * sentence's PCM as it finishes (lib/tts/sentence-parts.ts: the API streams them to the client while
 * the rest is made) and heartbeating its position; a retried attempt resumes after the parts already
 * stored. Then it stores the whole WAV (resampled by ffmpeg when another rate was asked for) and
 * deletes the parts. The reference is never used to
 * shape the voice: no installed model can clone one, and the result says so.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text as readText } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { decodePcm16k } from '../lib/audio';
import { runTool } from '../lib/audio/ffmpeg';
import { partsPrefix } from '../lib/tts/sentence-parts';
import { synthesizeStoringParts, type TtsCheckpoint } from '../lib/tts/synthesize-parts';
import { speechSeconds } from '../lib/tts/reference-check';
import { FailureType, type StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

export interface TtsInput {
  textKey: string;
  voice: string;
  /** The reference clip's key; validated (speech present), never cloned. */
  referenceKey?: string;
  sampleRate?: number;
  outputKey: string;
}

export interface TtsOutput {
  key: string;
  contentType: string;
  sizeBytes: number;
  voice: string;
  /** Always false: no installed model clones a voice. */
  voiceCloned: false;
  seconds: number;
  sampleRate: number;
  sentences: number;
  /** Synthesis time (phonemes + graph runs), not counting storage. */
  generationMs: number;
  /** Seconds of speech the VAD found in the reference (absent without one). */
  referenceSpeechSeconds?: number;
}

/** Less speech than this in a 3–10 s clip: it is silence, noise or music, not a voice sample. */
export const MIN_REFERENCE_SPEECH_S = 1;

export function createTtsActivity({ config, store, engines }: ActivityDeps) {
  return async function tts(input: TtsInput): Promise<TtsOutput> {
    const ctx = Context.current();
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'voxflow-tts-'));
    try {
      return await withTypedFailures(async () => {
        if (!engines?.ttsVoice) throw new Error('this worker has no TTS engine');
        ctx.heartbeat({ progress: 0 } satisfies StepHeartbeat);
        let referenceSpeechSeconds: number | undefined;
        if (input.referenceKey) {
          const vad = await engines.vad();
          referenceSpeechSeconds = await store.withLocalFile(input.referenceKey, (file) =>
            speechSeconds(vad, decodePcm16k(file, { ffmpeg: config.media.ffmpeg, signal: ctx.cancellationSignal })),
          );
          if (referenceSpeechSeconds < MIN_REFERENCE_SPEECH_S) {
            throw ApplicationFailure.create({
              type: FailureType.InvalidMedia,
              message: `The reference clip holds no speech (${referenceSpeechSeconds.toFixed(1)} s found by voice activity detection; at least ${MIN_REFERENCE_SPEECH_S} s needed).`,
              nonRetryable: true,
              details: [{ code: 'reference_no_speech' }],
            });
          }
        }
        const text = await readText(await store.get(input.textKey));
        const voice = await engines.ttsVoice(input.voice);
        const started = Date.now();
        const wav = path.join(tmp, 'speech.wav');
        const r = await synthesizeStoringParts(store, voice, text, wav, {
          outputKey: input.outputKey,
          espeak: config.tts.espeak,
          phonemizer: config.tts.phonemizer,
          signal: ctx.cancellationSignal,
          onPart: (done, total) => ctx.heartbeat({ progress: 0.95 * (done / total), resumeFrom: { sentences: done } satisfies TtsCheckpoint } satisfies StepHeartbeat),
        });
        const generationMs = Date.now() - started;
        let out = wav;
        let sampleRate = r.sampleRate;
        if (input.sampleRate && input.sampleRate !== r.sampleRate) {
          out = path.join(tmp, 'speech-resampled.wav');
          const res = await runTool(config.media.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-i', wav, '-ar', String(input.sampleRate), '-c:a', 'pcm_s16le', '-y', out], { signal: ctx.cancellationSignal });
          if (res.code !== 0) throw new Error(`resampling failed: ${res.stderr.slice(0, 200)}`);
          sampleRate = input.sampleRate;
        }
        const info = await store.put(input.outputKey, fs.createReadStream(out), { contentType: 'audio/wav' });
        // The parts are the final WAV's own bytes: a stream still reading them falls back to it.
        await store.deletePrefix(partsPrefix(input.outputKey));
        ctx.heartbeat({ progress: 1 } satisfies StepHeartbeat);
        return {
          key: input.outputKey,
          contentType: 'audio/wav',
          sizeBytes: info.size,
          voice: voice.id,
          voiceCloned: false,
          seconds: r.seconds,
          sampleRate,
          sentences: r.sentences,
          generationMs,
          ...(referenceSpeechSeconds !== undefined ? { referenceSpeechSeconds } : {}),
        };
      });
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  };
}
