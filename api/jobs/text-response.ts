/**
 * The answer of a synchronous text call: the step's stored JSON document, shaped for the contract
 * by the route, with the job id and the model that ran in headers (the body is the contract's own).
 */
import { text as readText } from 'node:stream/consumers';
import type { Context } from 'koa';
import type { JobResult, OutputKind } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';

export async function readTextDocument<D>(deps: Pick<ApiDeps, 'store'>, result: JobResult, kind: OutputKind): Promise<D> {
  const out = result.outputs.find((o) => o.kind === kind);
  if (!out) throw notFound(`This job has no ${kind}.`);
  return JSON.parse(await readText(await deps.store.get(out.key))) as D;
}

export async function sendTextDocument<D extends { model: string }>(
  ctx: Context,
  deps: Pick<ApiDeps, 'store'>,
  jobId: string,
  result: JobResult,
  kind: OutputKind,
  /** The contract's body from the stored document (default: the document as stored). */
  shape: (doc: D) => unknown = (doc) => doc,
): Promise<void> {
  const doc = await readTextDocument<D>(deps, result, kind);
  ctx.set('X-Job-Id', jobId);
  ctx.set('X-Model', doc.model);
  ctx.body = shape(doc);
}
