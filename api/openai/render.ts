/** A stored transcript in OpenAI's response formats (json, text, srt, vtt, verbose_json). */
import zlib from 'node:zlib';
import type { z } from 'zod';
import { WHISPER_LANGUAGES } from '../../lib/catalog/languages';
import { toSrt, toVtt } from '../../lib/transcript/formats';
import type { Transcript } from '../../lib/transcript/types';
import type { OpenAiTask } from './params';
import type { OpenAiResponseFormat, transcriptionJson, transcriptionVerbose } from './schemas';

export const OPENAI_CONTENT_TYPES: Record<OpenAiResponseFormat, string> = {
  json: 'application/json; charset=utf-8',
  verbose_json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
};

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** openai-whisper's measure of repetitiveness: text bytes over zlib-compressed bytes. */
export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length ? r3(bytes.length / zlib.deflateSync(bytes).length) : 0;
}

const languageName = (code: string) => WHISPER_LANGUAGES.find(([c]) => c === code)?.[1] ?? code;

/** Billed seconds: the request is charged whole minutes of the decoded duration. */
const usage = (t: Transcript) => ({ type: 'duration' as const, seconds: Math.ceil(t.duration) });

export function openAiJson(t: Transcript): z.infer<typeof transcriptionJson> {
  return { text: t.text.trim(), model: t.model, usage: usage(t) };
}

export function openAiVerbose(t: Transcript, task: OpenAiTask, want: { words: boolean; segments: boolean }): z.infer<typeof transcriptionVerbose> {
  const body: z.infer<typeof transcriptionVerbose> = {
    task,
    // A translation's text is English whatever was spoken (OpenAI answers `english` too).
    language: task === 'translate' ? 'english' : languageName(t.language),
    duration: r3(t.duration),
    text: t.text.trim(),
    model: t.model,
    usage: usage(t),
  };
  if (want.segments) {
    body.segments = t.segments.map((s, id) => ({
      id,
      seek: Math.floor(s.start * 100),
      start: r3(s.start),
      end: r3(s.end),
      text: s.text,
      tokens: [],
      temperature: 0,
      // confidence is exp(mean text-token log-prob) (lib/whisper/model.ts): its log is that mean.
      avg_logprob: r3(Math.log(Math.max(s.confidence, 1e-10))),
      compression_ratio: compressionRatio(s.text),
      no_speech_prob: 0,
    }));
  }
  if (want.words) body.words = t.segments.flatMap((s) => s.words.map((w) => ({ word: w.word.trim(), start: r3(w.start), end: r3(w.end) })));
  return body;
}

export function renderOpenAi(t: Transcript, format: OpenAiResponseFormat, task: OpenAiTask, want: { words: boolean; segments: boolean }): string | object {
  switch (format) {
    case 'json':
      return openAiJson(t);
    case 'verbose_json':
      return openAiVerbose(t, task, want);
    case 'text':
      return `${t.text.trim()}\n`;
    case 'srt':
      return toSrt(t);
    case 'vtt':
      return toVtt(t);
  }
}
