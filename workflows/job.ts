/**
 * Step bookkeeping shared by every recipe workflow: progress for the `progress` query, the
 * VoxflowStatus search attribute for operators, and typed failures for the API.
 * and, for billed jobs, per-step credits: reserve before, settle after, refund on failure or
 * cancellation (in a non-cancellable scope, or a cancelled job would skip its refund). A job that
 * does not succeed has its objects deleted from storage.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  defineQuery,
} from '@temporalio/workflow';
import type { CreditRef } from '../activities/credits';
import { cleanupActivities, controlActivities } from './activities';
import { notifyWebhook, type WebhookPayload } from './webhook';
import { FailureType, SA, durationBucket, progressQueryName, type JobInput, type JobProgress, type JobStatus, type StepName, type StepProgress } from './model';

export const progressQuery = defineQuery<JobProgress>(progressQueryName);

export interface StepOptions {
  /** Credits to reserve for this step (0 or absent: free). */
  credits?: number;
}

export class Job {
  private readonly state: JobProgress;
  private readonly control: ReturnType<typeof controlActivities>;
  /** Models tagged so far (VoxflowModel holds them all). */
  private readonly models: string[] = [];
  /** The last step's settlement released the job's slot (only on success: see releaseSlot). */
  private slotReleased = false;

  constructor(
    private readonly input: JobInput,
    steps: StepName[],
  ) {
    this.control = controlActivities(input.queues);
    this.state = {
      jobId: input.jobId,
      recipe: input.recipe,
      status: 'running',
      steps: steps.map((name) => ({ name, status: 'pending', progress: 0 })),
    };
    setHandler(progressQuery, () => this.state);
    this.setStatus('running');
  }

  get steps(): StepProgress[] {
    return this.state.steps.map((s) => ({ ...s }));
  }

  /** Runs one durable step; its activity retries on its own per the proxy's retry policy. */
  async step<T>(name: StepName, run: () => Promise<T>, opts: StepOptions = {}): Promise<T> {
    // A zero share still gets its ledger entries (one price per request: see pricing.ts).
    const billing = this.input.billing && opts.credits !== undefined ? this.creditRef(name) : undefined;
    return this.runStep(name, billing, async (s) => {
      if (billing) {
        const { amount } = await this.control.reserveCredits({ ...billing, amount: opts.credits! });
        s.credits = { reserved: amount };
      }
      return run();
    });
  }

  /**
   * A step priced on its prepared input (the embed step's text units): `prepare` is one local
   * activity that makes the input and reserves its price (`reserved`) where it is told to book it
   * (undefined: an unbilled job), instead of one activity for each. Then as `step`: the step's
   * activity, settled after, refunded on failure.
   */
  async preparedStep<P extends { reserved?: number }, T>(name: StepName, prepare: (billing: CreditRef | undefined) => Promise<P>, run: (prepared: P) => Promise<T>): Promise<T> {
    const billing = this.input.billing ? this.creditRef(name) : undefined;
    return this.runStep(name, billing, async (s) => {
      const prepared = await prepare(billing);
      if (billing) {
        if (prepared.reserved === undefined) throw ApplicationFailure.create({ type: FailureType.Internal, message: `${name}: its input was prepared without its reservation`, nonRetryable: true });
        s.credits = { reserved: prepared.reserved };
      }
      return run(prepared);
    });
  }

  private creditRef(step: StepName): CreditRef {
    return { accountId: this.input.billing!.accountId, jobId: this.input.jobId, step };
  }

  /** A step's bookkeeping: its state, and for a billed step (`start` reserved) the settlement after it or the refund when it fails. */
  private async runStep<T>(name: StepName, billing: CreditRef | undefined, start: (s: StepProgress) => Promise<T>): Promise<T> {
    const s = this.find(name);
    s.status = 'running';
    s.startedAt = new Date().toISOString();
    // Operators filter the Web UI by the step a job is in (the last one it ran, once it ended).
    if (patched('current-step-search-attribute')) upsertSearchAttributes([{ key: SA.currentStep, value: name }]);
    try {
      const result = await start(s);
      if (billing) {
        // Audio steps are priced from the probed duration, so the actual cost is the reservation.
        const settlement = { ...billing, actual: s.credits!.reserved };
        // The job's last step gives back its slot with its settlement (one local activity, not two).
        const releasing = !!this.input.slot && this.isLast(s) && patched('last-settle-releases-slot');
        const { charged } = releasing ? await this.control.settleCreditsAndReleaseSlot(settlement) : await this.control.settleCredits(settlement);
        if (releasing) this.slotReleased = true;
        s.credits = { ...s.credits!, charged };
      }
      s.status = 'done';
      s.progress = 1;
      s.completedAt = new Date().toISOString();
      return result;
    } catch (err) {
      s.status = 'failed';
      s.completedAt = new Date().toISOString();
      s.error = describe(err);
      if (billing && s.credits) {
        const { refunded } = await CancellationScope.nonCancellable(() => this.control.refundCredits(billing));
        s.credits = { ...s.credits, refunded };
      }
      throw err;
    }
  }

  /** Makes a fact about the job searchable (API filters, Web UI). */
  tag(key: typeof SA.language, value: string): void {
    upsertSearchAttributes([{ key, value }]);
  }

  /**
   * Operators' filters in the Web UI (`VoxflowDuration = "1-10m"`, `VoxflowModel = "base"`): the
   * decoded length's bucket once probed, each model a step ran, a recipe's spoken language. Jobs
   * started before these existed replay without them (`patched`).
   */
  tagDuration(seconds: number): void {
    if (patched('operator-search-attributes')) upsertSearchAttributes([{ key: SA.duration, value: durationBucket(seconds) }]);
  }

  tagModel(model: string | undefined): void {
    if (!model || this.models.includes(model) || !patched('operator-search-attributes')) return;
    this.models.push(model);
    upsertSearchAttributes([{ key: SA.model, value: [...this.models] }]);
  }

  tagLanguage(language: string | undefined): void {
    if (language && patched('operator-search-attributes')) upsertSearchAttributes([{ key: SA.language, value: language }]);
  }

  skip(name: StepName, note?: string): void {
    const s = this.find(name);
    s.status = 'skipped';
    if (note) s.note = note;
  }

  /** Wraps the recipe body: marks the outcome and turns any failure into a typed ApplicationFailure. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    try {
      const result = await body();
      await this.releaseSlot();
      this.setStatus('succeeded');
      await this.notify({ status: 'succeeded', ...(result && typeof result === 'object' && 'outputs' in result && (result as { outputs: unknown[] }).outputs.length ? { result_url: `${this.input.webhook?.apiBaseUrl}/v1/jobs/${this.input.jobId}/result` } : {}) });
      return result;
    } catch (err) {
      await this.releaseSlot();
      await this.discardObjects();
      if (isCancellation(err)) {
        // A cancellation carries no details, so the steps as they stood go in the memo, where the
        // job view reads them without asking a worker to replay the closed workflow.
        if (patched('steps-in-memo-on-cancel')) upsertMemo({ steps: this.steps });
        this.setStatus('cancelled');
        await this.notify({ status: 'cancelled' });
        throw err;
      }
      this.setStatus('failed');
      const { type, message, code } = describe(err);
      await this.notify({ status: 'failed', error: { type, message, ...(code ? { code } : {}) } });
      throw ApplicationFailure.create({
        type,
        message,
        nonRetryable: true,
        details: [{ code, steps: this.steps }],
        cause: err instanceof Error ? err : undefined,
      });
    }
  }

  /**
   * The job's webhook (if it has one) learns how it ended: a delivery workflow is started, which
   * retries on its own for hours; the job does not wait for it. Best effort for the job: a
   * delivery that cannot even start does not change the job's outcome.
   */
  private async notify(outcome: Pick<WebhookPayload, 'status' | 'result_url' | 'error'>): Promise<void> {
    if (!this.input.webhook || !patched('job-webhook')) return;
    const payload: WebhookPayload = { id: this.input.jobId, recipe: this.input.chain?.name ?? this.input.recipe, ...outcome };
    await notifyWebhook(this.input, payload).catch(() => undefined);
  }

  /** The API claimed a concurrency slot for this job; give it back however the job ends. */
  private async releaseSlot(): Promise<void> {
    // Released already with the last step's settlement (a failure before that releases it here).
    if (!this.input.slot || this.slotReleased) return;
    await CancellationScope.nonCancellable(() => this.control.releaseJobSlot({ jobId: this.input.jobId })).catch(() => undefined);
  }

  /**
   * A job that failed, was rejected or was cancelled leaves nothing in storage: its upload and
   * whatever its steps wrote go (non-cancellable, so a cancelled job cleans up too). Best effort:
   * the failure the caller sees is the job's own, and retention catches anything left.
   */
  private async discardObjects(): Promise<void> {
    if (!patched('discard-failed-job-objects')) return;
    await CancellationScope.nonCancellable(() =>
      cleanupActivities().discardJobObjects({ jobId: this.input.jobId, mediaKey: this.input.mediaKey }),
    ).catch(() => undefined);
  }

  /** No other step of the job is still to run (pending or running). */
  private isLast(s: StepProgress): boolean {
    return this.state.steps.every((x) => x === s || (x.status !== 'pending' && x.status !== 'running'));
  }

  private find(name: StepName): StepProgress {
    const s = this.state.steps.find((x) => x.name === name);
    if (!s) throw new Error(`step ${name} is not part of recipe ${this.state.recipe}`);
    return s;
  }

  private setStatus(status: JobStatus): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: SA.status, value: status }]);
  }
}

/** The innermost ApplicationFailure says what went wrong; activity/timeout wrappers only say where. */
function describe(err: unknown): { type: string; message: string; code?: string } {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  if (cur instanceof ApplicationFailure) {
    const code = (cur.details?.[0] as { code?: string } | undefined)?.code;
    return { type: cur.type ?? FailureType.Internal, message: cur.message, code };
  }
  if (cur instanceof Error) return { type: FailureType.Internal, message: cur.message };
  return { type: FailureType.Internal, message: String(cur) };
}
