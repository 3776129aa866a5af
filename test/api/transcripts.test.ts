/** /api/v1/transcripts/: list (Temporal visibility), detail, export, delete, and tenant isolation. */
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { until } from '../helpers/jobs';
import { jfk } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';
import { assertWellFormed, parseSrt } from '../helpers/subtitles';
import { wer } from '../helpers/wer';
import { ApiKeys } from '../../lib/accounts/keys';

const config = testConfig({ VOXFLOW_SYNC_WAIT_MS: '90000' });
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

const url = (p: string) => `${stack.baseUrl}${p}`;
async function account() {
  const a = await stack.ledger.createAccount({ tenant: `t-${Math.random()}`, plan: 'paid', credits: 10 });
  const { key } = await new ApiKeys(stack.db).create(a.id, 'test');
  return { Authorization: `Bearer ${key}` };
}

it('lists, shows, exports and deletes a tenant’s transcripts; other tenants get 404', async () => {
  const a = await account();
  const b = await account();
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: a, body: form(jfk().wav) });
  expect(res.status).toBe(200);
  const id = res.headers.get('x-job-id')!;

  const listed = await until(async () => {
    const l = await json(await fetch(url('/api/v1/transcripts/?status=succeeded'), { headers: a }));
    return l.jobs.find((j: { id: string }) => j.id === id) ? l : undefined;
  });
  expect(listed.jobs.find((j: { id: string }) => j.id === id)).toMatchObject({ status: 'succeeded', filename: 'jfk.wav' });
  expect((await json(await fetch(url('/api/v1/transcripts/?status=failed'), { headers: a }))).jobs.some((j: { id: string }) => j.id === id)).toBe(false);
  expect((await json(await fetch(url('/api/v1/transcripts/'), { headers: b }))).jobs).toEqual([]);

  const detail = await json(await fetch(url(`/api/v1/transcripts/${id}/`), { headers: a }));
  expect(wer(jfk().text, detail.transcript.text)).toBeLessThanOrEqual(0.15);
  expect(detail.transcript.segments.length).toBeGreaterThan(0);

  const srt = await fetch(url(`/api/v1/transcripts/${id}/export/srt/`), { headers: a });
  assertWellFormed(parseSrt(await srt.text()));
  const csv = await (await fetch(url(`/api/v1/transcripts/${id}/export/csv/`), { headers: a })).text();
  expect(csv.split('\r\n')[0]).toBe('start,end,speaker,text,confidence');
  expect(csv.split('\r\n').filter(Boolean).length).toBe(detail.transcript.segments.length + 1);
  expect((await fetch(url(`/api/v1/transcripts/${id}/export/docx/`), { headers: a })).status).toBe(400);

  for (const [method, p] of [['GET', `/api/v1/transcripts/${id}/`], ['GET', `/api/v1/transcripts/${id}/export/txt/`], ['DELETE', `/api/v1/transcripts/${id}/`]]) {
    expect((await fetch(url(p), { method, headers: b })).status).toBe(404);
  }
  expect((await fetch(url(`/api/v1/transcripts/${id}/`))).status).toBe(401);

  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { method: 'DELETE', headers: a })).status).toBe(204);
  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { headers: a })).status).toBe(404);
  expect((await fetch(url(`/api/v1/transcripts/${id}/export/txt/`), { headers: a })).status).toBe(404);
});
