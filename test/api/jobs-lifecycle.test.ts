/**
 * A job's end of life through the API: DELETE /v1/jobs/:id for finished jobs of any recipe (upload,
 * outputs and execution gone; 409 while running; 404 for other tenants), and cancel (409 once
 * finished; a cancelled job's view keeps its steps).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { speechWav } from '../helpers/media';
import { jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { variedSpeech } from '../helpers/varied-speech';
import { ApiKeys } from '../../lib/accounts/keys';
import type { JobInput } from '../../workflows/model';

const config = testConfig({ VOXFLOW_SYNC_WAIT_MS: '90000' });
let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack(config, { api: true });
  dir = path.join(config.dataDir, 'media');
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
async function account() {
  const a = await stack.ledger.createAccount({ tenant: `t-${Math.random()}`, plan: 'paid', credits: 100 });
  const { key } = await new ApiKeys(stack.db).create(a.id, 'test');
  return { Authorization: `Bearer ${key}` };
}
const uploadOf = async (id: string) => {
  const payload = (await stack.client.workflow.getHandle(id).fetchHistory()).events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
  return (JSON.parse(Buffer.from(payload.data!).toString('utf8')) as JobInput).mediaKey;
};
const objectsUnder = async (prefix: string) => {
  const keys: string[] = [];
  for await (const o of stack.store.list(prefix)) keys.push(o.key);
  return keys;
};
/** The server deletes executions asynchronously (35-45 s on the dev server, measured). */
const untilGone = (id: string, headers: Record<string, string>) =>
  until(async () => ((await fetch(url(`/v1/jobs/${id}`), { headers })).status === 404 ? true : undefined), 100_000, 1000);

it('DELETE /v1/jobs/:id deletes a finished enhance job: its upload, its output and the job; other tenants get 404', async () => {
  const a = await account();
  const b = await account();
  const res = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: a, body: form(speechWav(dir, 'This enhanced file will be deleted.')) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const id = res.headers.get('x-job-id')!;
  const media = await uploadOf(id);
  expect(await stack.store.stat(media)).not.toBeNull();
  expect(await objectsUnder(`jobs/${id}/`)).toEqual([`jobs/${id}/enhanced.wav`]);

  expect((await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE', headers: b })).status).toBe(404);
  expect((await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE' })).status).toBe(404); // anonymous is another tenant
  expect(await stack.store.stat(media)).not.toBeNull();

  const del = await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE', headers: a });
  expect(del.status).toBe(204);
  expect(await stack.store.stat(media)).toBeNull();
  expect(await objectsUnder(media.replace(/[^/]+$/, ''))).toEqual([]); // the upload's folder too
  expect(await objectsUnder(`jobs/${id}/`)).toEqual([]);
  // While Temporal still lists the job, its result is gone: 404 (never a 500).
  const result = await fetch(url(`/v1/jobs/${id}/result`), { headers: a });
  expect(result.status).toBe(404);
  expect(await json(result)).toHaveProperty('error');
  await untilGone(id, a);
  expect((await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE', headers: a })).status).toBe(404);
}, 180_000);

it('DELETE /v1/jobs/:id refuses a running transcription (409), then deletes it and its transcript once finished', async () => {
  const a = await account();
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { ...a, Prefer: 'respond-async' }, body: form(jfk().wav) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const refused = await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE', headers: a });
  expect(refused.status).toBe(409);
  expect((await json(refused)).error).toMatch(/still (queued|running).*cancel/);

  await until(async () => ((await json(await fetch(url(`/v1/jobs/${id}`), { headers: a }))).status === 'succeeded' ? true : undefined), 90_000);
  const media = await uploadOf(id);
  expect((await objectsUnder(`jobs/${id}/`)).length).toBeGreaterThan(0);
  expect((await fetch(url(`/v1/jobs/${id}`), { method: 'DELETE', headers: a })).status).toBe(204);
  expect(await stack.store.stat(media)).toBeNull();
  expect(await objectsUnder(`jobs/${id}/`)).toEqual([]);
  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { headers: a })).status).toBe(404);
  await untilGone(id, a);
}, 180_000);

it('cancel: a running job stops and its view keeps its steps; a finished job cannot be cancelled (409)', async () => {
  const a = await account();
  // About 3.5 minutes of speech: long enough to still be running when the cancel arrives. Real speech that
  // never repeats inside a 30 s window (looped jfk.wav is decoded at every fallback temperature, see
  // varied-speech.ts, so one window outlasted the wait for the cancel on a loaded machine).
  const long = path.join(dir, 'long.wav');
  execFileSync(config.media.ffmpeg, ['-y', '-loglevel', 'error', '-stream_loop', '4', '-i', variedSpeech(dir).wav, '-c', 'copy', long]);
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { ...a, Prefer: 'respond-async' }, body: form(long, { diarize: 'false' }) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  await until(async () => {
    const v = await json(await fetch(url(`/v1/jobs/${id}`), { headers: a }));
    return v.steps.some((s: { name: string; status: string }) => s.name === 'transcribe' && s.status === 'running') ? true : undefined;
  }, 60_000);
  const cancel = await fetch(url(`/v1/jobs/${id}/cancel`), { method: 'POST', headers: a });
  expect(cancel.status).toBe(202);
  const view = await until(async () => {
    const v = await json(await fetch(url(`/v1/jobs/${id}`), { headers: a }));
    return v.status === 'cancelled' ? v : undefined;
  }, 60_000);
  expect(view.steps.map((s: { name: string }) => s.name)).toEqual(['probe', 'transcribe', 'diarize', 'embed']);
  expect(view.steps[0]).toMatchObject({ name: 'probe', status: 'done', progress: 1 });
  expect(view.steps[1]).toMatchObject({ name: 'transcribe', status: 'failed' });
  expect(view.error).toMatchObject({ message: 'The job was cancelled.' });

  const again = await fetch(url(`/v1/jobs/${id}/cancel`), { method: 'POST', headers: a });
  expect(again.status).toBe(409);
  expect((await json(again)).error).toMatch(/cancelled.*nothing to cancel/);

  const done = await fetch(url('/v1/enhance-audio'), { method: 'POST', headers: a, body: form(speechWav(dir, 'Finished before the cancel.', 'done.wav')) });
  expect(done.status).toBe(200);
  await done.arrayBuffer();
  const doneId = done.headers.get('x-job-id')!;
  const late = await fetch(url(`/v1/jobs/${doneId}/cancel`), { method: 'POST', headers: a });
  expect(late.status).toBe(409);
  expect(await json(late)).toEqual({ error: 'The job has already succeeded; there is nothing to cancel.' });
  expect((await json(await fetch(url(`/v1/jobs/${doneId}`), { headers: a }))).status).toBe('succeeded');
}, 180_000);
