import type { Context } from 'koa';
import { text } from 'node:stream/consumers';
import type { ObjectStore } from '../../lib/storage';
import { CONTENT_TYPES, render, type ResponseFormat } from '../../lib/transcript/formats';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult } from '../../workflows/model';
import { notFound } from '../errors';

/** Streams a stored audio output to the client (never loaded into memory). */
export async function sendAudio(ctx: Context, store: ObjectStore, result: JobResult, downloadName: string): Promise<void> {
  const out = result.outputs.find((o) => o.kind === 'audio');
  if (!out) throw notFound('This job has no audio output.');
  ctx.type = out.contentType;
  ctx.length = out.sizeBytes;
  ctx.set('Content-Disposition', `attachment; filename="${downloadName}"`);
  // Speech made by TTS lasts its own length; the media of that job is its text or reference clip.
  ctx.set('X-Duration', (result.tts?.seconds ?? result.media.duration).toFixed(3));
  ctx.body = await store.get(out.key);
}

export async function loadTranscript(store: ObjectStore, result: JobResult): Promise<Transcript> {
  const out = result.outputs.find((o) => o.kind === 'transcript');
  if (!out) throw notFound('This job has no transcript.');
  return JSON.parse(await text(await store.get(out.key))) as Transcript;
}

/** The transcript in the format the client asked for (json, txt, srt, vtt). */
export async function sendTranscript(ctx: Context, store: ObjectStore, result: JobResult, format: ResponseFormat): Promise<void> {
  const transcript = await loadTranscript(store, result);
  ctx.type = CONTENT_TYPES[format];
  ctx.body = format === 'json' ? transcript : render(transcript, format);
}

/** Whatever the job produced: its audio, or its transcript (`?format=` picks the rendering). */
export async function sendResult(ctx: Context, store: ObjectStore, result: JobResult): Promise<void> {
  const first = result.outputs[0];
  if (!first) throw notFound('This job produced no downloadable output.');
  if (first.kind === 'audio') return sendAudio(ctx, store, result, first.key.split('/').pop() ?? 'audio.wav');
  if (first.kind !== 'transcript') {
    // A text step's JSON document (summary, analysis, generation, translation).
    ctx.type = first.contentType;
    ctx.body = await store.get(first.key);
    return;
  }
  const format = String(ctx.query.format ?? 'json') as ResponseFormat;
  return sendTranscript(ctx, store, result, CONTENT_TYPES[format] ? format : 'json');
}
