/**
 * Starting jobs as workflows and reading them back. The job id is the workflow id; tenant, recipe
 * and status are search attributes so operators can find any job in the Temporal Web UI.
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../../lib/config';
import { round3 } from '../../lib/round';
import { RECIPE_WORKFLOWS } from '../../workflows/recipes';
import {
  SA,
  progressQueryName,
  type JobInput,
  type JobProgress,
  type JobResult,
  type JobStatus,
  type RecipeName,
  type StepHeartbeat,
  type StepProgress,
} from '../../workflows/model';
import { conflict, failureOf, notFound, toHttpError } from '../errors';
import { PageTokens } from './page-token';
import { webhookView } from './webhook-view';
import { attemptsOf, stepAttempts } from './step-attempts';
import type { temporal } from '@temporalio/proto';
import type { WebhookRecord } from '../../lib/webhooks/keys';
import { forgetExecution, purgeJob, readJobInput } from '../../lib/jobs/purge';
import type { ObjectStore } from '../../lib/storage';

export type SubmitRequest = Omit<JobInput, 'queues' | 'submittedAt'>;

export interface JobView {
  id: string;
  object: 'job';
  recipe: string;
  status: JobStatus;
  created_at: string | null;
  completed_at: string | null;
  progress: number;
  steps: Array<{
    name: string;
    status: string;
    progress: number;
    started_at: string | null;
    completed_at: string | null;
    attempt?: number;
    /** A finished recipe step: the attempts it took (its activity's retries; 1 when the first try did it). */
    attempts?: number;
    last_failure?: string;
    error?: { type: string; message: string };
    note?: string;
    credits?: { reserved: number; charged?: number; refunded?: number };
    /** GET /v1/jobs/:id/result?step=<name>, for a recipe step whose result is in storage. */
    result_url?: string;
  }>;
  /** The job's webhook, when it has one: deliveries made, the receiver's last answer. */
  webhook?: WebhookRecord;
  result: JobResult | null;
  error: { type: string; message: string; code?: string } | null;
  links: { self: string; result?: string; temporal_ui?: string };
}

/** Visibility-query string literal (values are ours or validated; quotes escaped regardless). */
const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** How long a closed job's view waits for its workflow to answer the progress query. */
const LAST_STEPS_TIMEOUT_MS = 3000;
const PROGRESS_QUERY_TIMEOUT_MS = 10_000;
const FINISHED_VERB: Record<JobStatus, string> = { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'been cancelled' };

const STATUS_BY_TEMPORAL: Record<string, JobStatus> = {
  RUNNING: 'running',
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'failed',
  TIMED_OUT: 'failed',
  CONTINUED_AS_NEW: 'running',
};

export class JobService {
  private readonly pageTokens: PageTokens;
  constructor(
    private readonly client: Client,
    private readonly config: Pick<Config, 'temporal' | 'pageTokenKey'>,
  ) {
    this.pageTokens = new PageTokens(config.pageTokenKey);
  }

  /** Starts the recipe's workflow; returns false when a job with this id already exists (idempotent retry). */
  async submit(req: SubmitRequest): Promise<{ created: boolean }> {
    const t = this.config.temporal;
    const input: JobInput = { ...req, queues: t.taskQueues, submittedAt: new Date().toISOString() };
    try {
      await this.client.workflow.start(RECIPE_WORKFLOWS[req.recipe], {
        taskQueue: t.taskQueues.control,
        workflowId: req.jobId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SA.tenant, value: req.tenant },
          { key: SA.recipe, value: req.recipe },
          { key: SA.status, value: 'queued' },
        ],
        // mediaKey: the retention sweep reads which upload belongs to which job from the listing.
        // webhook: where the job view looks for its deliveries; the recipe's name for the Web UI.
        memo: { filename: req.filename, mediaKey: req.mediaKey, ...(req.webhook ? { webhook: req.webhook.url } : {}), ...(req.chain ? { recipe: req.chain.name, steps_requested: req.chain.steps.map((s) => s.step).join(' → ') } : {}) },
      });
      return { created: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { created: false };
      throw err;
    }
  }

  /** Waits up to `ms` for the job; null when it is still running (the caller answers 202). Failures throw. */
  async waitForResult(jobId: string, ms: number): Promise<JobResult | null> {
    const handle = this.client.workflow.getHandle(jobId);
    // The wait is cancelled, not abandoned: a result() left long-polling after a timeout later fails
    // on its own ("Channel has been shut down" when the client closes) with nobody to catch it.
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), ms);
    try {
      return (await this.client.connection.withAbortSignal(stop.signal, () => handle.result())) as JobResult;
    } catch (err) {
      if (stop.signal.aborted) return null;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The job as its owner sees it; other tenants get 404, as if it did not exist. */
  /** `queryTimeoutMs`: how long the progress query may wait for a workflow worker (default 10 s). */
  async view(jobId: string, tenant: string, queryTimeoutMs = PROGRESS_QUERY_TIMEOUT_MS): Promise<JobView> {
    const handle = this.client.workflow.getHandle(jobId);
    let desc: WorkflowExecutionDescription;
    try {
      desc = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('Job not found.');
      throw err;
    }
    if (desc.typedSearchAttributes.get(SA.tenant) !== tenant) throw notFound('Job not found.');
    const status = STATUS_BY_TEMPORAL[desc.status.name] ?? 'running';
    const recipe = desc.typedSearchAttributes.get(SA.recipe) ?? desc.type;
    const view = this.baseView(jobId, status, recipe, desc.startTime, desc.closeTime);

    if (status === 'running') {
      // Bounded: a query waits for a workflow worker, and with none polling it would hang the request.
      const progress = await this.client.connection
        .withDeadline(Date.now() + queryTimeoutMs, () => handle.query<JobProgress>(progressQueryName))
        .catch(() => null);
      if (progress) {
        view.steps = progress.steps.map((s) => stepView(s, desc));
        // The first step's activity has not reported yet: the job is waiting for a worker.
        if (progress.steps.every((s) => s.status === 'pending')) view.status = 'queued';
      } else if (desc.historyLength <= 3) {
        // No workflow task has completed (started, scheduled, maybe started again): no worker has run it yet.
        view.status = 'queued';
      }
    } else if (status === 'succeeded') {
      // One history read gives both the result (its last event) and each step's attempts.
      const events = (await handle.fetchHistory()).events ?? [];
      const result = resultOf(events);
      if (!result) throw new Error(`job ${jobId} is closed as completed but its history ends without a result`);
      return this.finish(view, result, events, desc.memo);
    } else {
      try {
        await handle.result();
      } catch (err) {
        const mapped = toHttpError(err);
        const f = err instanceof WorkflowFailedError ? failureOf(err) : undefined;
        const details = (f?.details?.[0] ?? {}) as { code?: string; steps?: StepProgress[] };
        view.error = { type: (mapped.body.type as string) ?? status, message: mapped.body.error, ...(details.code ? { code: details.code } : {}) };
        // A failed job carries its steps in the failure; a cancelled or terminated one carries nothing,
        // so its last progress is read from the memo it wrote while stopping, or else asked of the workflow.
        const memoSteps = (desc.memo as { steps?: StepProgress[] } | undefined)?.steps;
        view.steps = (details.steps ?? memoSteps ?? (await this.lastSteps(jobId))).map((s) => stepView(s));
      }
    }
    if (view.recipe === 'recipe' && view.steps.some((s) => s.status === 'done' || s.status === 'failed')) {
      addAttempts(view, await stepAttempts(this.client, jobId).catch(() => ({})));
    }
    return this.complete(view, desc.memo);
  }

  /**
   * The view of a job its caller just saw succeed (a synchronous POST's answer), from one read of
   * its history: owner, times, result and each step's attempts are all in it. The general view
   * would ask three times (describe, result, history), each a round trip to Temporal on every
   * synchronous job. A history that does not end in success gets the general view.
   */
  async finishedView(jobId: string, tenant: string): Promise<JobView> {
    const events = (await this.client.workflow.getHandle(jobId).fetchHistory()).events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const result = resultOf(events);
    if (!started || !result) return this.view(jobId, tenant);
    const sa = started.searchAttributes?.indexedFields ?? {};
    const text = (p: temporal.api.common.v1.IPayload | null | undefined) => (p ? defaultPayloadConverter.fromPayload<string>(p) : undefined);
    if (text(sa[SA.tenant.name]) !== tenant) throw notFound('Job not found.');
    const memo = Object.fromEntries(Object.entries(started.memo?.fields ?? {}).map(([k, v]) => [k, defaultPayloadConverter.fromPayload<unknown>(v)]));
    const view = this.baseView(jobId, 'succeeded', text(sa[SA.recipe.name]) ?? started.workflowType?.name ?? '', eventDate(events[0]), eventDate(events[events.length - 1]));
    return this.finish(view, result, events, memo);
  }

  private baseView(jobId: string, status: JobStatus, recipe: string, created: Date | undefined, completed: Date | undefined): JobView {
    return {
      id: jobId,
      object: 'job',
      recipe,
      status,
      created_at: created?.toISOString() ?? null,
      completed_at: completed?.toISOString() ?? null,
      progress: 0,
      steps: [],
      result: null,
      error: null,
      links: {
        self: `/v1/jobs/${jobId}`,
        temporal_ui: this.config.temporal.uiUrl
          ? `${this.config.temporal.uiUrl}/namespaces/${this.config.temporal.namespace}/workflows/${jobId}`
          : undefined,
      },
    };
  }

  /** A succeeded job's view: its result, steps with their result links, and (recipes) attempts from its history. */
  private async finish(view: JobView, result: JobResult, events: readonly temporal.api.history.v1.IHistoryEvent[], memo: unknown): Promise<JobView> {
    const jobId = view.id;
    view.result = result;
    view.steps = result.steps.map((s) => stepView(s));
    if (result.outputs.length) view.links.result = `/v1/jobs/${jobId}/result`;
    const stepped = new Set(result.outputs.map((o) => o.step).filter(Boolean));
    for (const s of view.steps) if (stepped.has(s.name as StepProgress['name'])) s.result_url = `/v1/jobs/${jobId}/result?step=${s.name}`;
    if (view.recipe === 'recipe' && view.steps.some((s) => s.status === 'done' || s.status === 'failed')) addAttempts(view, attemptsOf(events));
    return this.complete(view, memo);
  }

  /** What every view ends with: the webhook's deliveries and the overall progress. */
  private async complete(view: JobView, memo: unknown): Promise<JobView> {
    const webhookUrl = (memo as { webhook?: unknown } | undefined)?.webhook;
    if (typeof webhookUrl === 'string') view.webhook = await webhookView(this.client, view.id, webhookUrl);
    view.progress = view.steps.length
      ? round3(view.steps.reduce((a, s) => a + (s.status === 'skipped' ? 1 : s.progress), 0) / view.steps.length)
      : view.status === 'succeeded' ? 1 : 0;
    return view;
  }

  /**
   * A closed workflow answers queries by replaying its history on a worker: the steps as they were
   * when it ended. Bounded, so a job view never hangs when no worker is polling (then: no steps).
   */
  private async lastSteps(jobId: string): Promise<StepProgress[]> {
    const handle = this.client.workflow.getHandle(jobId);
    const progress = await this.client
      .withDeadline(Date.now() + LAST_STEPS_TIMEOUT_MS, () => handle.query<JobProgress>(progressQueryName))
      .catch(() => null);
    return progress?.steps ?? [];
  }

  /** A tenant's jobs of one recipe, newest first, from Temporal's visibility store (paginated). */
  async list(
    tenant: string,
    recipe: RecipeName,
    opts: { status?: string; language?: string; since?: string; pageSize: number; pageToken?: string },
  ): Promise<{ jobs: Array<{ id: string; status: string; created_at: string | null; filename?: string; language?: string }>; next_page_token: string | null }> {
    const q = [`VoxflowTenant = ${quote(tenant)}`, `VoxflowRecipe = ${quote(recipe)}`];
    if (opts.status) q.push(`VoxflowStatus = ${quote(opts.status)}`);
    if (opts.language) q.push(`VoxflowLanguage = ${quote(opts.language)}`);
    if (opts.since) q.push(`StartTime >= ${quote(opts.since)}`);
    const query = q.join(' AND ');
    const res = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.config.temporal.namespace,
      query,
      pageSize: opts.pageSize,
      // Only a token we sealed for this very query reaches Temporal.
      nextPageToken: opts.pageToken !== undefined ? this.pageTokens.open(query, opts.pageToken) : undefined,
    });
    const jobs = (res.executions ?? []).map((e) => {
      const sa = e.searchAttributes?.indexedFields ?? {};
      const status = sa.VoxflowStatus ? (defaultPayloadConverter.fromPayload<string>(sa.VoxflowStatus) ?? 'running') : 'running';
      const memo = e.memo?.fields?.filename ? defaultPayloadConverter.fromPayload<string>(e.memo.fields.filename) : undefined;
      const started = e.startTime?.seconds ? new Date(Number(e.startTime.seconds) * 1000).toISOString() : null;
      const language = sa.VoxflowLanguage ? defaultPayloadConverter.fromPayload<string>(sa.VoxflowLanguage) : undefined;
      return { id: e.execution?.workflowId ?? '', status, created_at: started, ...(memo ? { filename: memo } : {}), ...(language ? { language } : {}) };
    });
    const token = res.nextPageToken?.length ? this.pageTokens.seal(query, res.nextPageToken) : null;
    return { jobs, next_page_token: token };
  }

  /** The job's input as its workflow received it (the first history event): where its upload lives. */
  async input(jobId: string): Promise<JobInput | undefined> {
    return readJobInput(this.client, jobId);
  }

  /**
   * Deletes a finished job's workflow execution, history and visibility record included, so it leaves
   * every list (the caller deleted the data; nothing about it should stay behind).
   */
  async forget(jobId: string): Promise<void> {
    await forgetExecution(this.client, jobId);
  }

  /**
   * Deletes a finished job (any recipe) and everything it left: its upload, its outputs, and its
   * execution. A queued or running job is refused (409): cancel it first.
   */
  async purge(view: JobView, store: ObjectStore): Promise<void> {
    if (view.status === 'queued' || view.status === 'running') {
      throw conflict(`The job is still ${view.status}; cancel it first (POST /v1/jobs/${view.id}/cancel).`);
    }
    const input = await this.input(view.id);
    await purgeJob(this.client, store, { jobId: view.id, mediaKey: input?.mediaKey, outputKeys: (view.result?.outputs ?? []).map((o) => o.key) });
  }

  /** Asks a queued or running job to stop; a finished job cannot be cancelled (409). */
  async cancel(jobId: string, tenant: string): Promise<void> {
    const view = await this.view(jobId, tenant);
    if (view.status !== 'queued' && view.status !== 'running') throw conflict(`The job has already ${FINISHED_VERB[view.status]}; there is nothing to cancel.`);
    await this.client.workflow.getHandle(jobId).cancel();
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A completed workflow's result: the payload of the event its history ends with (undefined: it did not complete). */
function resultOf(events: readonly HistoryEvent[]): JobResult | undefined {
  const payload = events[events.length - 1]?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<JobResult>(payload) : undefined;
}

const eventDate = (e: HistoryEvent | undefined): Date | undefined =>
  e?.eventTime ? new Date(Number(e.eventTime.seconds ?? 0) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6)) : undefined;

/** A finished recipe step shows the attempts it took. */
function addAttempts(view: JobView, attempts: Partial<Record<StepProgress['name'], number>>): void {
  for (const s of view.steps) if ((s.status === 'done' || s.status === 'failed') && attempts[s.name as StepProgress['name']]) s.attempts = attempts[s.name as StepProgress['name']];
}

/** Running steps take their progress, attempt and last failure from the activity's heartbeat. */
function stepView(s: StepProgress, desc?: WorkflowExecutionDescription): JobView['steps'][number] {
  const out: JobView['steps'][number] = {
    name: s.name,
    status: s.status,
    progress: s.progress,
    started_at: s.startedAt ?? null,
    completed_at: s.completedAt ?? null,
    ...(s.error ? { error: s.error } : {}),
    ...(s.note ? { note: s.note } : {}),
    ...(s.credits ? { credits: s.credits } : {}),
  };
  if (s.status === 'running' && desc) {
    const pending = desc.raw.pendingActivities?.find((a) => a.activityType?.name === s.name);
    if (pending) {
      out.attempt = pending.attempt ?? 1;
      if (pending.lastFailure?.message) out.last_failure = pending.lastFailure.message;
      const payload = pending.heartbeatDetails?.payloads?.[0];
      if (payload) {
        const beat = defaultPayloadConverter.fromPayload<StepHeartbeat>(payload);
        if (typeof beat?.progress === 'number') out.progress = round3(beat.progress);
      }
    }
  }
  return out;
}
