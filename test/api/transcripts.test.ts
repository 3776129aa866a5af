/** /api/v1/transcripts/: list (Temporal visibility), detail, export, delete, and tenant isolation. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { startJob, until } from '../helpers/jobs';
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
  const english = await until(async () => {
    const l = await json(await fetch(url('/api/v1/transcripts/?language=en'), { headers: a }));
    return l.jobs.find((j: { id: string }) => j.id === id);
  });
  expect(english).toMatchObject({ language: 'en' });
  expect((await json(await fetch(url('/api/v1/transcripts/?language=fr'), { headers: a }))).jobs.some((j: { id: string }) => j.id === id)).toBe(false);
  expect((await fetch(url('/api/v1/transcripts/?language=english'), { headers: a })).status).toBe(400);
  expect((await json(await fetch(url('/api/v1/transcripts/'), { headers: b }))).jobs).toEqual([]);

  const detail = await json(await fetch(url(`/api/v1/transcripts/${id}/`), { headers: a }));
  expect(wer(jfk().text, detail.transcript.text)).toBeLessThanOrEqual(0.15);
  expect(detail.transcript.segments.length).toBeGreaterThan(0);

  const srt = await fetch(url(`/api/v1/transcripts/${id}/export/srt/`), { headers: a });
  assertWellFormed(parseSrt(await srt.text()));
  const csv = await (await fetch(url(`/api/v1/transcripts/${id}/export/csv/`), { headers: a })).text();
  expect(csv.split('\r\n')[0]).toBe('start,end,speaker,text,confidence');
  expect(csv.split('\r\n').filter(Boolean).length).toBe(detail.transcript.segments.length + 1);
  const pdf = await fetch(url(`/api/v1/transcripts/${id}/export/pdf/`), { headers: a });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const pdfFile = path.join(config.dataDir, `${id}.pdf`);
  fs.writeFileSync(pdfFile, Buffer.from(await pdf.arrayBuffer()));
  const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-']).toString('utf8');
  expect(pdfText).toContain('Transcript: jfk.wav');
  expect(wer(jfk().text, pdfText.split('\n').filter((l) => !/^Transcript:|^Language:/.test(l)).join(' ').replace(/\[\d{2}:\d{2}\]( Speaker \d+)?/g, ' '))).toBeLessThanOrEqual(0.15);
  const docx = await fetch(url(`/api/v1/transcripts/${id}/export/docx/`), { headers: a });
  expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK'); // a zip (OOXML)
  expect((await fetch(url(`/api/v1/transcripts/${id}/export/odt/`), { headers: a })).status).toBe(400);

  for (const [method, p] of [['GET', `/api/v1/transcripts/${id}/`], ['GET', `/api/v1/transcripts/${id}/export/txt/`], ['DELETE', `/api/v1/transcripts/${id}/`]]) {
    expect((await fetch(url(p), { method, headers: b })).status).toBe(404);
  }
  expect((await fetch(url(`/api/v1/transcripts/${id}/`))).status).toBe(401);

  const upload = (await stack.client.workflow.getHandle(id).fetchHistory()).events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
  const mediaKey = (JSON.parse(Buffer.from(upload.data!).toString('utf8')) as { mediaKey: string }).mediaKey;
  expect(await stack.store.stat(mediaKey)).not.toBeNull();
  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { method: 'DELETE', headers: a })).status).toBe(204);
  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { headers: a })).status).toBe(404);
  expect((await fetch(url(`/api/v1/transcripts/${id}/export/txt/`), { headers: a })).status).toBe(404);
  expect(await stack.store.stat(mediaKey)).toBeNull(); // the upload is gone too
  // ...and the job itself leaves the list and the job API: the server deletes executions
  // asynchronously (35-45 s on the dev server, measured).
  await until(
    async () => {
      const l = await json(await fetch(url('/api/v1/transcripts/'), { headers: a }));
      const gone = (await fetch(url(`/v1/jobs/${id}`), { headers: a })).status === 404;
      return gone && !l.jobs.some((j: { id: string }) => j.id === id) ? true : undefined;
    },
    100_000,
    1000,
  );
}, 180_000);

it('refuses to delete a transcription that is still running (409), then deletes it once finished', async () => {
  const a = await account();
  const res = await fetch(url('/v1/transcribe'), { method: 'POST', headers: { ...a, Prefer: 'respond-async' }, body: form(jfk().wav) });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const refused = await fetch(url(`/api/v1/transcripts/${id}/`), { method: 'DELETE', headers: a });
  expect(refused.status).toBe(409);
  expect((await json(refused)).error).toMatch(/still (queued|running).*cancel/);
  await until(async () => ((await json(await fetch(url(`/v1/jobs/${id}`), { headers: a }))).status === 'succeeded' ? true : undefined), 90_000);
  expect((await fetch(url(`/api/v1/transcripts/${id}/`), { method: 'DELETE', headers: a })).status).toBe(204);
});

it('a malformed page_token or an out-of-range since is a 400 naming the parameter, never a 500', async () => {
  const a = await account();
  const list = (query: string) => fetch(url(`/api/v1/transcripts/?${query}`), { headers: a });
  for (const token of ['not a token!', 'x'.repeat(10_000), Buffer.from('garbage that Temporal cannot decode').toString('base64url'), '%00%01']) {
    const res = await list(`page_token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: expect.stringMatching(/page_token/), param: 'page_token' });
  }
  for (const since of ['+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '0000-01-01', '1969-12-31T23:59:59Z', 'yesterday']) {
    const res = await list(`since=${encodeURIComponent(since)}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatch(/since/);
  }
  // In range, and with no token: the list still answers.
  expect((await list('since=1970-01-01T00:00:00Z')).status).toBe(200);
  expect((await list('since=9999-12-31T00:00:00Z')).status).toBe(200);
});

it('page tokens handed out page through the list; one used with other filters or by another tenant is a 400', async () => {
  const tenant = `t-${Math.random()}`;
  const acct = await stack.ledger.createAccount({ tenant, plan: 'paid', credits: 10 });
  const a = { Authorization: `Bearer ${(await new ApiKeys(stack.db).create(acct.id, 'test')).key}` };
  const b = await account();
  // Three of the tenant's transcriptions, held running (their transcribe step waits on a queue no worker polls).
  const stuck = { ...config.temporal.taskQueues, gpu: `nobody-${Math.random()}` };
  const started = [];
  for (let i = 0; i < 3; i++) started.push(await startJob(stack.client, config, stack.store, jfk().wav, 'transcribe', tenant, { queues: stuck }));
  try {
    const ids = started.map((s) => s.jobId).sort();
    await until(async () => {
      const l = await json(await fetch(url('/api/v1/transcripts/?page_size=100'), { headers: a }));
      return l.jobs.length === 3 ? true : undefined;
    });
    const seen: string[] = [];
    let token: string | null = null;
    let first: string | null = null;
    do {
      const l: { jobs: Array<{ id: string }>; next_page_token: string | null } = await json(
        await fetch(url(`/api/v1/transcripts/?page_size=2${token ? `&page_token=${token}` : ''}`), { headers: a }),
      );
      seen.push(...l.jobs.map((j) => j.id));
      token = l.next_page_token;
      first ??= token;
    } while (token);
    expect(seen.sort()).toEqual(ids);
    expect(first).toBeTruthy();
    // The same token with another filter, or from another tenant: refused, not passed to Temporal.
    expect((await fetch(url(`/api/v1/transcripts/?page_size=2&status=running&page_token=${first}`), { headers: a })).status).toBe(400);
    expect((await fetch(url(`/api/v1/transcripts/?page_size=2&page_token=${first}`), { headers: b })).status).toBe(400);
  } finally {
    for (const s of started) await s.handle.terminate('test over').catch(() => undefined);
  }
});
