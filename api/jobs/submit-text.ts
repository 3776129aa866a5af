/**
 * The shared path of the JSON text endpoints: read and validate the body, store the text (claim
 * check: the workflow gets its key, never the text), start the recipe's workflow, then wait for the
 * result (synchronous call) or answer 202 like the upload endpoints.
 */
import crypto from 'node:crypto';
import type { Context } from 'koa';
import { mediaKey, type JobInput, type JobResult, type RecipeName } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { jsonBody, jsonBodyOf } from '../middleware/json-body';
import type { JobService } from './service';
import { admitRequest, wantsAsync } from './submit-media';
import { apiOrigin, readWebhook } from '../params/webhook';

/** Room for JSON escapes: a body may take up to 6 bytes per character (\uXXXX) plus the other fields. */
export const textBodyLimitBytes = (maxChars: number) => maxChars * 6 + 16 * 1024;

export interface TextSubmission {
  /** What the step reads: the text itself, or (batch translation) a JSON array of texts. */
  text: string;
  contentType?: string;
  params: Pick<JobInput, 'chain' | 'webhook' | 'summarize' | 'analyze' | 'generate' | 'translate' | 'chat' | 'embed'>;
}

export async function submitTextJob(
  ctx: Context,
  deps: ApiDeps,
  jobs: JobService,
  recipe: RecipeName,
  /**
   * Validates the parsed body (throwing a 400/413) and returns the text and the recipe's parameters
   * (async where the text is a stored transcript, see transcript-source.ts).
   */
  prepare: (body: unknown) => TextSubmission | Promise<TextSubmission>,
): Promise<{ jobId: string; result: JobResult | null }> {
  // Where a submission's time goes (logged with 'job submitted'): parse + validate, admission, storing the text, starting the workflow.
  const t0 = performance.now();
  const lap = (() => {
    let last = t0;
    return () => {
      const now = performance.now();
      const d = Math.round((now - last) * 10) / 10;
      last = now;
      return d;
    };
  })();
  // Validation comes first: a malformed request spends no anonymous job, slot or credit.
  await jsonBody({ idleMs: deps.config.http.uploadIdleMs, limitBytes: textBodyLimitBytes(deps.config.llm.maxTextChars) })(ctx, async () => undefined);
  const body = jsonBodyOf(ctx);
  const { text, params, contentType } = await prepare(body);
  // Any job may notify a webhook when it ends (api/params/webhook.ts).
  const webhook = await readWebhook(body, deps, apiOrigin(ctx));
  const ms: Record<string, number> = { validate: lap() };
  const { tenant, jobId, admission } = await admitRequest(ctx, deps);
  ms.admit = lap();
  // Its own upload id, as for media: a repeated Idempotency-Key must not overwrite the first job's text.
  const key = mediaKey(crypto.randomUUID(), contentType?.startsWith('application/json') ? 'json' : 'txt');
  let stored = false;
  try {
    await deps.store.put(key, text, { contentType: contentType ?? 'text/plain; charset=utf-8' });
    stored = true;
    ms.store = lap();
    const { created } = await jobs.submit({ jobId, tenant, recipe, mediaKey: key, filename: 'text.txt', ...params, ...(webhook ? { webhook } : {}), ...admission.job });
    if (!created) {
      await deps.store.delete(key);
      await admission.undo();
    }
    ms.start = lap();
    ctx.state.log.info({ jobId, recipe, created, chars: text.length, ms }, 'job submitted');
  } catch (err) {
    await admission.undo();
    if (stored) await deps.store.delete(key).catch(() => undefined);
    throw err;
  }
  const result = wantsAsync(ctx, {}) ? null : await jobs.waitForResult(jobId, deps.config.http.syncWaitMs);
  return { jobId, result };
}
