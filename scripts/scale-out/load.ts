/**
 * The load: `jobs` recipe jobs through POST /v1/jobs, `concurrency` at a time, each a synchronous
 * call (the answer is the finished job's view). A request that fails in transit is sent again with
 * the same Idempotency-Key, which returns the same job rather than a second one, so a job is never
 * submitted twice and never silently dropped. `onProgress` sees every completion (the kill -9 hook).
 */
import { performance } from 'node:perf_hooks';

export interface LoadJob {
  index: number;
  body: Record<string, unknown>;
}

export interface LoadResult {
  index: number;
  /** The job id the API answered (undefined: no answer at all, a lost job). */
  id?: string;
  httpStatus: number;
  status?: string;
  view?: JobViewLike;
  ms: number;
  resends: number;
  error?: string;
}

/** The parts of GET /v1/jobs/:id the checks read. */
export interface JobViewLike {
  id: string;
  status: string;
  steps: Array<{ name: string; status: string; attempts?: number; credits?: { reserved: number; charged?: number; refunded?: number } }>;
  result: { text?: { model?: string } } | null;
  error: { type: string; message: string } | null;
}

export interface LoadOptions {
  baseUrl: string;
  apiKey: string;
  jobs: LoadJob[];
  concurrency: number;
  /** Idempotency keys are `${runId}-${index}`. */
  runId: string;
  onProgress?: (completed: number) => void;
  /** Sends of one job before it counts as lost. */
  maxSends?: number;
}

export async function runLoad(o: LoadOptions): Promise<{ results: LoadResult[]; wallMs: number }> {
  const results: LoadResult[] = [];
  let next = 0;
  const t0 = performance.now();
  const one = async (job: LoadJob): Promise<LoadResult> => {
    const started = performance.now();
    let resends = 0;
    let lastError = '';
    for (let send = 0; send < (o.maxSends ?? 5); send++) {
      try {
        const res = await fetch(`${o.baseUrl}/v1/jobs`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${o.apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': `${o.runId}-${job.index}` },
          body: JSON.stringify(job.body),
        });
        const body = (await res.json()) as JobViewLike & { error?: unknown };
        // 503: Temporal briefly unreachable; anything else is the job's answer.
        if (res.status === 503) {
          resends++;
          lastError = `HTTP 503 ${JSON.stringify(body.error)}`;
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        return { index: job.index, id: body.id, httpStatus: res.status, status: body.status, view: res.status === 200 ? body : undefined, ms: performance.now() - started, resends, ...(res.status === 200 ? {} : { error: JSON.stringify(body.error) }) };
      } catch (err) {
        resends++;
        lastError = (err as Error).message;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return { index: job.index, httpStatus: 0, ms: performance.now() - started, resends, error: lastError };
  };
  await Promise.all(
    Array.from({ length: Math.min(o.concurrency, o.jobs.length) }, async () => {
      while (next < o.jobs.length) {
        const job = o.jobs[next++];
        results.push(await one(job));
        o.onProgress?.(results.length);
      }
    }),
  );
  return { results: results.sort((a, b) => a.index - b.index), wallMs: performance.now() - t0 };
}
