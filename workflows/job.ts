/**
 * Step bookkeeping shared by every recipe workflow: progress for the `progress` query, the
 * VoxflowStatus search attribute for operators, and typed failures for the API.
 * Credit reservation/settlement per step plugs in here (see the billing issue).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  defineQuery,
} from '@temporalio/workflow';
import { FailureType, SA, progressQueryName, type JobInput, type JobProgress, type JobStatus, type StepName, type StepProgress } from './model';

export const progressQuery = defineQuery<JobProgress>(progressQueryName);

export class Job {
  private readonly state: JobProgress;

  constructor(input: JobInput, steps: StepName[]) {
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
  async step<T>(name: StepName, run: () => Promise<T>): Promise<T> {
    const s = this.find(name);
    s.status = 'running';
    s.startedAt = new Date().toISOString();
    try {
      const result = await run();
      s.status = 'done';
      s.progress = 1;
      s.completedAt = new Date().toISOString();
      return result;
    } catch (err) {
      s.status = 'failed';
      s.completedAt = new Date().toISOString();
      s.error = describe(err);
      throw err;
    }
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
      this.setStatus('succeeded');
      return result;
    } catch (err) {
      if (isCancellation(err)) {
        this.setStatus('cancelled');
        throw err;
      }
      this.setStatus('failed');
      const { type, message, code } = describe(err);
      throw ApplicationFailure.create({
        type,
        message,
        nonRetryable: true,
        details: [{ code, steps: this.steps }],
        cause: err instanceof Error ? err : undefined,
      });
    }
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
