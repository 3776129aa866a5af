/**
 * The cluster shape on one machine (scripts/scale-out/run.ts): the API, one control worker and two
 * gpu workers as separate OS processes, against the run's Temporal dev server, MinIO and
 * PostgreSQL. 200 recipe jobs through POST /v1/jobs at concurrency 32; after 50 have completed one
 * gpu worker is killed with SIGKILL. Every job succeeds, none is lost, each is charged exactly its
 * contract price once, and the steps the killed worker held were finished by the other one.
 */
import path from 'node:path';
import { runScaleOut, type ScaleOutReport } from '../../scripts/scale-out/run';

jest.setTimeout(12 * 60_000);

describe('scale-out: API, control worker and two gpu workers as processes, one killed mid-load', () => {
  let report: ScaleOutReport;

  beforeAll(async () => {
    report = await runScaleOut({
      jobs: 200,
      concurrency: 32,
      gpuWorkers: 2,
      // Two slots each, so the killed worker surely holds steps in flight.
      gpuConcurrency: 2,
      killAfter: 50,
      services: {
        temporalAddress: process.env.VOXFLOW_TEST_TEMPORAL_ADDRESS!,
        minioPort: Number(process.env.VOXFLOW_TEST_MINIO_PORT),
        postgresUrl: process.env.VOXFLOW_TEST_POSTGRES_URL!,
      },
      dir: path.join(process.env.VOXFLOW_TEST_DIR!, `scale-out-${process.pid}`),
      log: () => undefined,
    });
    // The figures, for the CI log.
    const { perJob: _perJob, ...figures } = report;
    console.log(JSON.stringify({ ...figures, charges: { ...report.charges, wrongEntries: report.charges.wrongEntries.length } }, null, 2));
  });

  it('runs each gpu worker with the concurrency it was given', () => {
    expect(report.config.gpuSlots).toEqual([2, 2]);
  });

  it('completes all 200 jobs and loses none', () => {
    expect(report.failed).toEqual([]);
    expect(report.succeeded).toBe(200);
    expect(report.lost).toBe(0);
  });

  it('charges each job exactly its contract price, once', () => {
    const c = report.charges;
    expect(c.wrongEntries).toEqual([]);
    // 50 translate + embed jobs (1 + 1), 140 embed-only short texts (1) and 10 of over 4,000 characters (2).
    expect(c.expectedCredits).toBe(50 * 2 + 140 + 10 * 2);
    expect(c.charged).toBe(c.expectedCredits);
    expect(c.balanceAfter).toBe(c.balanceBefore - c.expectedCredits);
    expect(c.auditMismatch).toBe(false);
  });

  it('translates with Apertium', () => {
    expect(report.engines).toEqual(['apertium-eng-cat']);
  });

  it('finishes the killed gpu worker’s steps on the other one after their heartbeat timeout', () => {
    const kill = report.kill!;
    expect(kill.atCompleted).toBe(50);
    expect(kill.retried.length).toBeGreaterThan(0);
    for (const r of kill.retried) {
      expect(r.finishedBy).toBe(kill.survivor);
      expect(r.lastFailure).toMatch(/heartbeat/i);
      expect(r.attempts).toBeGreaterThanOrEqual(2);
    }
    expect(report.problems).toEqual([]);
  });
});
