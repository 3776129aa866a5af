/**
 * POST /v1/tts streamed: the speech is sent while the `tts` step makes it. The step stores each
 * sentence's PCM as it finishes (lib/tts/sentence-parts.ts); this reads them in order from storage
 * and sends them, after a WAV header whose sizes say "to the end of the stream" (streamingWavHeader),
 * so the first audio arrives after the first sentence rather than after the whole text. The
 * synthesis stays one durable, once-billed workflow step: this only reads what it stores.
 *
 * Nothing is sent until the first sentence is stored or the job has ended, so a rejected reference,
 * an unknown voice or any failure before the speech is still an ordinary JSON error with its status.
 * When the job ends, the rest comes from the stored WAV at the same byte offset (its bytes after the
 * header are the parts in order), so the streamed data equals the stored result byte for byte.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Context } from 'koa';
import { partKey } from '../../lib/tts/sentence-parts';
import { streamingWavHeader } from '../../lib/tts/wav';
import { ObjectNotFoundError, type ObjectStore } from '../../lib/storage/types';
import type { JobResult } from '../../workflows/model';
import type { JobService } from './service';

/** How often storage is asked for the next sentence (one small stat-free GET). */
export const PART_POLL_MS = 100;
const WAV_HEADER_BYTES = 44;

type Outcome = { ok: true; result: JobResult | null } | { ok: false; error: unknown };

export interface SpeechStreamOptions {
  store: ObjectStore;
  jobs: Pick<JobService, 'waitForResult'>;
  jobId: string;
  /** Where the step stores the WAV (and, beside it, the parts). */
  outputKey: string;
  sampleRate: number;
  /** How long to wait for the first sentence or the end (the synchronous ceiling); then a 202. */
  waitMs: number;
  pollMs?: number;
  /** Called with the job's result right before the streamed body ends (for HTTP trailers). */
  beforeEnd?: (result: JobResult) => void;
}

/**
 * The first thing the job produced: its first stored sentence (then `body` streams the whole WAV),
 * its end (`result`: answer as a complete WAV with its length), or nothing within `waitMs` (null).
 * A job that failed before any speech throws its error, as a synchronous wait does.
 */
export async function openSpeechStream(o: SpeechStreamOptions): Promise<{ result: JobResult } | { body: Readable } | null> {
  const pollMs = o.pollMs ?? PART_POLL_MS;
  let outcome: Outcome | undefined;
  let ended: Promise<Outcome>;
  const watch = () => {
    ended = o.jobs.waitForResult(o.jobId, o.waitMs).then(
      (result): Outcome => (outcome = { ok: true, result }),
      (error): Outcome => (outcome = { ok: false, error }),
    );
  };
  watch();
  const tryPart = async (i: number): Promise<Buffer | null> => {
    try {
      return await buffer(await o.store.get(partKey(o.outputKey, i)));
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return null;
      throw err;
    }
  };
  const pause = () => Promise.race([ended, new Promise((r) => setTimeout(r, pollMs).unref())]);

  // Before the first byte: wait for the first part or the end.
  let first: Buffer | null = null;
  for (;;) {
    if (outcome) {
      if (!outcome.ok) throw outcome.error;
      if (!outcome.result) return null; // the ceiling passed: the caller answers 202
      return { result: outcome.result };
    }
    first = await tryPart(0);
    if (first) break;
    await pause();
  }

  const firstPart = first;
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.concat([streamingWavHeader(o.sampleRate), firstPart]);
    let sent = firstPart.length;
    let next = 1;
    for (;;) {
      if (outcome) {
        if (!outcome.ok) throw outcome.error;
        const result = outcome.result;
        if (!result) {
          // Past the ceiling with audio already flowing: keep listening while the client does.
          outcome = undefined;
          watch();
          continue;
        }
        const out = result.outputs.find((x) => x.kind === 'audio');
        if (!out) throw new Error(`job ${o.jobId} has no audio output`);
        if (WAV_HEADER_BYTES + sent < out.sizeBytes) yield* await o.store.get(out.key, { start: WAV_HEADER_BYTES + sent });
        o.beforeEnd?.(result);
        return;
      }
      const part = await tryPart(next);
      if (part) {
        next++;
        sent += part.length;
        if (part.length) yield part;
        continue;
      }
      await pause();
    }
  }
  return { body: Readable.from(chunks(), { objectMode: false }) };
}

/**
 * Whether this request may get the streamed form: HTTP/1.1 (chunked transfer; HTTP/1.0 has none and
 * gets Content-Length), not `stream=false` (query, form field or JSON field: a client that wants the
 * complete file with its length and X-Duration as a header), and at the voice's own rate (a
 * resampled WAV is made from the whole speech by ffmpeg, after synthesis).
 */
export function streamAllowed(ctx: Context, fields: Record<string, string>, resampled: boolean): boolean {
  if (resampled || ctx.req.httpVersion === '1.0') return false;
  const body = (ctx.request as { body?: unknown }).body;
  const fromJson = body && typeof body === 'object' ? (body as Record<string, unknown>).stream : undefined;
  const flag = String(fields.stream ?? ctx.query.stream ?? fromJson ?? '').toLowerCase();
  return !(flag === 'false' || flag === '0' || flag === 'no');
}
