/**
 * Speaker labels end to end: POST /v1/transcribe on recordings of real, different people (exact
 * reference turns), real Whisper + diarization models, a real Temporal dev server and workers.
 */
import type { Transcript } from '../../lib/transcript/types';
import { testConfig } from '../helpers/config';
import { diarizationCase } from '../helpers/diarization-set';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';

const config = testConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '1000', VOXFLOW_ANON_CONCURRENT: '100', VOXFLOW_SYNC_WAIT_MS: '120000' });
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
async function transcribe(name: string, fields: Record<string, string> = {}): Promise<Transcript> {
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', body: form(diarizationCase(name).wav, fields) });
  expect(res.status).toBe(200);
  return (await res.json()) as Transcript;
}

it('labels the words of two real voices with the right speakers, split at the changes', async () => {
  const c = diarizationCase('two-voices');
  const t = await transcribe('two-voices');
  expect(t.speakers).toEqual(['Speaker 1', 'Speaker 2']);
  expect(t.segments[0].speaker).toBe('Speaker 1');
  // Each word's label against the reference speaker at its midpoint, through the best label mapping.
  const pairs = t.segments.flatMap((s) =>
    s.words.map((w) => {
      const mid = (w.start + w.end) / 2;
      return { hyp: w.speaker!, ref: c.turns.find((r) => mid >= r.start - 0.2 && mid <= r.end + 0.2)?.speaker };
    }),
  );
  const scored = pairs.filter((p) => p.ref);
  expect(scored.length).toBeGreaterThan(20);
  const votes = new Map<string, Map<string, number>>();
  for (const p of scored) {
    const m = votes.get(p.hyp) ?? new Map<string, number>();
    m.set(p.ref!, (m.get(p.ref!) ?? 0) + 1);
    votes.set(p.hyp, m);
  }
  const agree = [...votes.values()].reduce((a, m) => a + Math.max(...m.values()), 0);
  expect(new Set([...votes.values()].map((m) => [...m.entries()].sort((a, b) => b[1] - a[1])[0][0])).size).toBe(2);
  expect(agree / scored.length).toBeGreaterThanOrEqual(0.9);
  // A segment never mixes speakers.
  for (const s of t.segments) expect(s.words.every((w) => w.speaker === s.speaker)).toBe(true);
});

it('honours speakers=3 on three voices', async () => {
  const t = await transcribe('three-voices', { speakers: '3' });
  expect(t.speakers).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 3']);
  expect(new Set(t.segments.map((s) => s.speaker)).size).toBe(3);
});

it('shows the diarize step in the job, labels nobody in silence, and skips it when not asked', async () => {
  const submit = async (name: string, fields: Record<string, string>) => {
    const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { Prefer: 'respond-async' }, body: form(diarizationCase(name).wav, fields) });
    expect(res.status).toBe(202);
    const { id } = await json(res);
    return until(async () => {
      const j = await json(await fetch(url(`/v1/jobs/${id}`)));
      return j.status === 'succeeded' || j.status === 'failed' ? j : undefined;
    }, 120_000);
  };
  const silent = await submit('silence', {});
  expect(silent.status).toBe('succeeded');
  expect(silent.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
    ['probe', 'done'],
    ['transcribe', 'done'],
    ['diarize', 'done'],
    ['embed', 'done'],
  ]);
  expect(silent.result.transcript.speakers).toBe(0);
  const body = (await json(await fetch(url(`/v1/jobs/${silent.id}/result`)))) as unknown as Transcript;
  expect(body.speakers).toEqual([]);

  const plain = await submit('single', { diarize: 'false' });
  expect(plain.steps[2]).toMatchObject({ name: 'diarize', status: 'skipped', note: 'not requested' });
  const t = (await json(await fetch(url(`/v1/jobs/${plain.id}/result`)))) as unknown as Transcript;
  expect(t.speakers).toEqual([]);
  expect(t.segments.length).toBeGreaterThan(0);
  expect(t.segments.every((s) => s.speaker === undefined)).toBe(true);
});
