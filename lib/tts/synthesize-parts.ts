/**
 * The `tts` step's synthesis: the text's sentences in order, each one's 16-bit PCM stored as a part
 * (lib/tts/sentence-parts.ts) the moment it is made, and appended to a local WAV that becomes the
 * stored result. A resumed attempt starts after the parts already in the store and copies them into
 * its WAV: Piper's VITS samples noise inside the graph, so a sentence made again would differ from
 * the one a client may already have been streamed, and the streamed bytes must be the stored ones.
 */
import fsp from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import type { ObjectStore } from '../storage/types';
import type { PiperVoice } from './piper';
import { partKey, storedPartCount } from './sentence-parts';
import { sentenceCount, synthesizeSentences, type SynthesisResult } from './synthesize';
import { toInt16, wavHeader } from './wav';

/**
 * The `tts` heartbeat's position: sentences stored so far. For progress and for people reading the
 * history; a resume trusts the store, which can be a part ahead of the last heartbeat that got through.
 */
export interface TtsCheckpoint {
  sentences: number;
}

export interface PartsOptions {
  outputKey: string;
  espeak: string;
  phonemizer?: 'program' | 'library';
  signal?: AbortSignal;
  /** After each part is stored: sentences done and the total. */
  onPart?: (done: number, total: number) => void;
}

export interface PartsResult extends SynthesisResult {
  /** Sentences taken from the store (made by an earlier attempt) rather than synthesized now. */
  resumedSentences: number;
}

export async function synthesizeStoringParts(store: ObjectStore, voice: PiperVoice, text: string, wav: string, opts: PartsOptions): Promise<PartsResult> {
  const total = sentenceCount(text);
  const from = Math.min(await storedPartCount(store, opts.outputKey), total);
  const fh = await fsp.open(wav, 'w');
  let samples = 0;
  let sentences = 0;
  try {
    await fh.write(wavHeader(voice.sampleRate, 0));
    for (let i = 0; i < from; i++) {
      const pcm = await buffer(await store.get(partKey(opts.outputKey, i)));
      await fh.write(pcm);
      samples += pcm.length / 2;
      if (pcm.length) sentences++;
    }
    if (from) opts.onPart?.(from, total);
    for await (const { index, audio } of synthesizeSentences(voice, text, { espeak: opts.espeak, phonemizer: opts.phonemizer, signal: opts.signal, from })) {
      const pcm = toInt16(audio);
      await store.put(partKey(opts.outputKey, index), pcm, { contentType: 'application/octet-stream' });
      await fh.write(pcm);
      samples += audio.length;
      if (audio.length) sentences++;
      opts.onPart?.(index + 1, total);
    }
    await fh.write(wavHeader(voice.sampleRate, samples), 0, 44, 0);
  } finally {
    await fh.close();
  }
  return { samples, sampleRate: voice.sampleRate, sentences, seconds: samples / voice.sampleRate, resumedSentences: from };
}
