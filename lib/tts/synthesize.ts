/**
 * Text → speech with a Piper voice: sentences synthesized in order, one graph run each (bounded
 * memory and event-loop blocking per run; the caller heartbeats between them), written to a 16-bit
 * WAV at the voice's rate. No voice cloning happens here: every sentence is the voice's own speaker.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { phonemesToIds } from './phoneme-ids';
import { phonemizeSentences } from './phonemize';
import type { PiperVoice } from './piper';
import { splitClauses, splitSentences } from './sentences';
import { toInt16, wavHeader } from './wav';

export interface SynthesisOptions {
  espeak: string;
  /** How espeak-ng is called (lib/tts/phonemize.ts); default the program. */
  phonemizer?: 'program' | 'library';
  signal?: AbortSignal;
  /** After each sentence: its index and the sentence count (for heartbeats). */
  onSentence?: (done: number, total: number) => void;
  /** Skip the sentences before this index (a resumed attempt that already stored them). */
  from?: number;
}

export interface SynthesisResult {
  samples: number;
  sampleRate: number;
  sentences: number;
  seconds: number;
}

/** One sentence's audio (empty when espeak found nothing to say in it), with its place in the text. */
export interface SentenceAudio {
  index: number;
  total: number;
  audio: Float32Array;
}

/** The number of sentences `text` is synthesized as (the units of streaming and resumption). */
export const sentenceCount = (text: string) => splitSentences(text).length;

/** Each sentence's audio, in order (for callers that stream, store or measure per sentence). */
export async function* synthesizeSentences(voice: PiperVoice, text: string, opts: SynthesisOptions): AsyncGenerator<SentenceAudio> {
  const sentences = splitSentences(text);
  const from = opts.from ?? 0;
  const phonemes = await phonemizeSentences(sentences.slice(from).map(splitClauses), { bin: opts.espeak, voice: voice.config.espeakVoice, signal: opts.signal, engine: opts.phonemizer });
  for (let i = from; i < sentences.length; i++) {
    opts.signal?.throwIfAborted();
    const p = phonemes[i - from];
    const audio = p.length ? await voice.synthesizeIds(phonemesToIds(p, voice.config.phonemeIdMap)) : new Float32Array(0);
    yield { index: i, total: sentences.length, audio };
    opts.onSentence?.(i + 1, sentences.length);
  }
}

/** The whole text as one WAV file at `out` (header rewritten once the length is known). */
export async function synthesizeToWav(voice: PiperVoice, text: string, out: string, opts: SynthesisOptions): Promise<SynthesisResult> {
  const fh = await fsp.open(out, 'w');
  let samples = 0;
  let sentences = 0;
  try {
    await fh.write(wavHeader(voice.sampleRate, 0));
    for await (const { audio } of synthesizeSentences(voice, text, opts)) {
      await fh.write(toInt16(audio));
      samples += audio.length;
      if (audio.length) sentences++;
    }
    await fh.write(wavHeader(voice.sampleRate, samples), 0, 44, 0);
  } finally {
    await fh.close();
  }
  return { samples, sampleRate: voice.sampleRate, sentences, seconds: samples / voice.sampleRate };
}

/** Reads a 16-bit mono WAV this module wrote (tests, bench). */
export function readWav16(file: string): { sampleRate: number; pcm: Float32Array } {
  const b = fs.readFileSync(file);
  const sampleRate = b.readUInt32LE(24);
  const n = (b.length - 44) / 2;
  const pcm = new Float32Array(n);
  for (let i = 0; i < n; i++) pcm[i] = b.readInt16LE(44 + i * 2) / 32768;
  return { sampleRate, pcm };
}
