/**
 * The shared path of every upload endpoint: stream the file to storage, start the recipe's workflow,
 * then either wait for the result (synchronous call) or answer 202 with the job's status URL.
 */
import crypto from 'node:crypto';
import type { Context } from 'koa';
import { mediaKey, type JobInput, type JobResult, type RecipeName } from '../../workflows/model';
import { receiveUpload } from '../upload';
import type { ApiDeps } from '../deps';
import { jobIdForIdempotencyKey, newJobId } from './ids';
import { admit, type Admission } from './admission';
import { badRequest, jobServiceUnavailable } from '../errors';
import type { JobService } from './service';
import { apiOrigin, readWebhook } from '../params/webhook';

/** Idempotency keys are client ids (UUIDs in practice); a bound keeps them out of logs at any size. */
const MAX_IDEMPOTENCY_KEY = 255;

export interface SubmittedJob {
  jobId: string;
  fields: Record<string, string>;
  /** Present when the call was synchronous and the job finished in time. */
  result: JobResult | null;
}

export function wantsAsync(ctx: Context, fields: Record<string, string>): boolean {
  const prefer = ctx.get('Prefer').toLowerCase();
  const flag = (fields.async ?? String(ctx.query.async ?? '')).toLowerCase();
  return prefer.includes('respond-async') || flag === 'true' || flag === '1';
}

/**
 * What every job submission does before it stores anything: refuse at once while Temporal is known
 * to be down, derive the job id (from a bounded Idempotency-Key, or new), and admit the caller by
 * tier. A request only ever gives back what it took: with a key, the slot stays with the job a
 * concurrent request with that key started.
 */
export async function admitRequest(ctx: Context, deps: ApiDeps): Promise<{ tenant: string; jobId: string; admission: Admission }> {
  if (deps.temporalAvailability && !deps.temporalAvailability.reachable) throw jobServiceUnavailable();
  const tenant: string = ctx.state.tenant;
  const idem = ctx.get('Idempotency-Key');
  if (idem.length > MAX_IDEMPOTENCY_KEY) {
    throw badRequest(`The Idempotency-Key header is longer than ${MAX_IDEMPOTENCY_KEY} characters.`, { code: 'invalid_parameter', param: 'Idempotency-Key' });
  }
  const jobId = idem ? jobIdForIdempotencyKey(tenant, idem) : newJobId();
  const admission = await admit(ctx, deps, jobId, idem ? { jobHoldsSlot: () => isRunning(deps, jobId) } : {});
  return { tenant, jobId, admission };
}

export async function submitMediaJob(
  ctx: Context,
  deps: ApiDeps,
  jobs: JobService,
  recipe: RecipeName,
  /** Validates the form fields (throwing a 400) and returns the recipe's parameters. */
  prepare: (fields: Record<string, string>) => Pick<JobInput, 'transcribe' | 'enhance'> | Promise<Pick<JobInput, 'chain' | 'webhook'>> = () => ({}),
): Promise<SubmittedJob> {
  const { tenant, jobId, admission } = await admitRequest(ctx, deps);
  // Uploads get their own id: a repeated Idempotency-Key must not overwrite the first job's media.
  const uploadId = crypto.randomUUID();
  let upload: Awaited<ReturnType<typeof receiveUpload>>['upload'] | undefined;
  let fields: Record<string, string> = {};
  try {
    ({ upload, fields } = await receiveUpload(ctx, {
      store: deps.store,
      maxBytes: admission.maxUploadBytes,
      field: 'file',
      keyFor: (ext) => mediaKey(uploadId, ext),
      idleMs: deps.config.http.uploadIdleMs,
    }));
    const params = await prepare(fields);
    // Any job may notify a webhook when it ends (api/params/webhook.ts).
    const webhook = await readWebhook(fields, deps, apiOrigin(ctx));
    const { created } = await jobs.submit({ jobId, tenant, recipe, mediaKey: upload.key, filename: upload.filename, ...params, ...(webhook ? { webhook } : {}), ...admission.job });
    if (!created) {
      // The key's job exists already: this request started nothing, so it keeps nothing it took.
      await deps.store.delete(upload.key);
      await admission.undo();
    }
    ctx.state.log.info({ jobId, recipe, created, bytes: upload.sizeBytes }, 'job submitted');
  } catch (err) {
    await admission.undo();
    if (upload) await deps.store.delete(upload.key).catch(() => undefined);
    throw err;
  }
  // Synchronous means synchronous: wait for the job however long it takes, up to the configured ceiling.
  const result = wantsAsync(ctx, fields) ? null : await jobs.waitForResult(jobId, deps.config.http.syncWaitMs);
  return { jobId, fields, result };
}

/**
 * How long the 202 waits for the job's live view. The view queries the workflow, and a query waits
 * for a workflow worker: with none polling (all busy or down) the job is, truthfully, still queued.
 */
const VIEW_DEADLINE_MS = 1500;

/** Whether the job's workflow is running (it then owns the job's slot); unknown or closed: false. */
async function isRunning(deps: Pick<ApiDeps, 'temporal'>, jobId: string): Promise<boolean> {
  return deps.temporal.workflow
    .getHandle(jobId)
    .describe()
    .then((d) => d.status.name === 'RUNNING', () => false);
}

/** 202 Accepted with where to poll, and what the job is doing right now (from its live view). */
export async function acceptedBody(ctx: Context, deps: Pick<ApiDeps, 'temporal'>, jobs: JobService, jobId: string, recipe: RecipeName): Promise<void> {
  // A gRPC deadline (not a timer beside the call) so no query outlives the answer.
  const status = await deps.temporal.connection
    .withDeadline(Date.now() + VIEW_DEADLINE_MS, () => jobs.view(jobId, ctx.state.tenant, VIEW_DEADLINE_MS))
    .then((v) => v.status)
    .catch(() => 'queued' as const); // the 202 still says where to look; the view is a courtesy
  ctx.status = 202;
  ctx.set('Location', `/v1/jobs/${jobId}`);
  ctx.body = { id: jobId, object: 'job', recipe, status, status_url: `/v1/jobs/${jobId}` };
}
