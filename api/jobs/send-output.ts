import type { Context } from 'koa';
import type { ObjectStore } from '../../lib/storage';
import type { JobResult } from '../../workflows/model';
import { notFound } from '../errors';

/** Streams a stored job output to the client (never loaded into memory). */
export async function sendOutput(
  ctx: Context,
  store: ObjectStore,
  result: JobResult,
  kind: JobResult['outputs'][number]['kind'],
  downloadName: string,
): Promise<void> {
  const out = result.outputs.find((o) => o.kind === kind);
  if (!out) throw notFound('This job has no such output.');
  ctx.type = out.contentType;
  ctx.length = out.sizeBytes;
  ctx.set('Content-Disposition', `attachment; filename="${downloadName}"`);
  ctx.set('X-Duration', result.media.duration.toFixed(3));
  ctx.body = await store.get(out.key);
}
