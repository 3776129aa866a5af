/**
 * WS /v1/stream end to end on a real stack (Temporal, storage, database) with real Whisper base and
 * Silero VAD: a real recording (jfk.wav, 11 s) at real time and in 10× bursts, then bad input.
 */
import { startStack, type Stack } from '../helpers/stack';
import { testConfig } from '../helpers/config';
import { form, json } from '../helpers/http';
import { jfk } from '../helpers/models';
import { paidKeyOn } from '../helpers/text-api';
import { wordErrorRate } from '../helpers/wer';
import { StreamClient, pcmOf } from './stream-client';

// Whisper decodes on a CPU shared with the rest of the suite: generous bounds, asserted outcomes.
jest.setTimeout(900_000);

let stack: Stack;
let wsUrl: string;
let key: string;
let accountId: string;
const speech = jfk();
const pcm = pcmOf([speech.wav], 1.5); // trailing silence: the last utterance ends by VAD, not only by stop

beforeAll(async () => {
  // The follow-up test's summary runs on the 0.5B LLM (one short generation).
  const llm = { VOXFLOW_LLM_MODEL: 'qwen2.5-coder-0.5b-instruct-q4_k_m', VOXFLOW_LLM_THREADS: '1', VOXFLOW_LLM_CONTEXT: '2048', VOXFLOW_LLM_CHUNK_TOKENS: '1024' };
  stack = await startStack(testConfig({ VOXFLOW_STREAM_IDLE_MS: '4000', VOXFLOW_STREAM_CONFIG_TIMEOUT_MS: '2000', VOXFLOW_STREAM_MAX_FRAME_KB: '512', ...llm }), { api: true });
  wsUrl = `${stack.baseUrl!.replace(/^http/, 'ws')}/v1/stream`;
  const paid = await paidKeyOn(stack, 'stream', 100);
  key = paid.headers.Authorization.slice('Bearer '.length);
  accountId = paid.account.id;
});
afterAll(() => stack?.stop());

/** Connects, configures, waits for ready. */
async function ready(c: StreamClient, config: Record<string, unknown> = { language: 'auto', model: 'large-v3-turbo' }) {
  await c.opened();
  c.json(config);
  return c.next((m) => m.status === 'ready', 300_000);
}

async function streamOnce(speed: number, auth: 'query' | 'header') {
  const c = auth === 'query' ? new StreamClient(`${wsUrl}?token=${key}`) : new StreamClient(wsUrl, { Authorization: `Bearer ${key}` });
  const r = await ready(c);
  const before = await stack.ledger.balance(accountId);
  await c.stream(pcm, { speed });
  const stopAt = c.messages.length;
  c.json({ action: 'stop' });
  const closed = await c.closed;
  return { c, id: r.id as string, r, closed, stopAt, before };
}

let fileText = '';
it('a real recording at real time and in 10x bursts: final text as good as the file transcription, is_final after stop, charged once, stored', async () => {
  // The file transcription (the reference the stream is held to), while REST stays answered.
  const res = await fetch(`${stack.baseUrl}/v1/transcribe`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form(speech.wav, { diarize: 'false', model: 'base' }) });
  expect(res.status).toBe(200);
  fileText = (await json(res)).text;
  const fileWer = wordErrorRate(speech.text, fileText);

  for (const [speed, auth] of [[1, 'query'], [10, 'header']] as const) {
    // REST keeps answering while the stream decodes (recognition is off the API's event loop).
    let slowest = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const t = Date.now();
        expect((await fetch(`${stack.baseUrl}/v1/models`)).status).toBe(200);
        slowest = Math.max(slowest, Date.now() - t);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const { c, id, r, closed, stopAt } = await streamOnce(speed, auth);
    polling = false;
    await poll;

    expect(r).toMatchObject({ status: 'ready', model: 'base', requested_model: 'large-v3-turbo' });
    const texts = c.messages.filter((m) => typeof m.msg.text === 'string').map((m) => m.msg);
    const streamText = texts.map((t) => t.text).join(' ');
    const streamWer = wordErrorRate(speech.text, streamText);
    expect(streamWer).toBeLessThanOrEqual(fileWer + 0.02);
    for (const t of texts) expect(t).toEqual(expect.objectContaining({ start: expect.any(Number), end: expect.any(Number), language: 'en' }));
    // is_final arrives after stop, last, then a normal close.
    const finalIdx = c.messages.findIndex((m) => m.msg.is_final === true);
    expect(finalIdx).toBeGreaterThanOrEqual(stopAt);
    expect(finalIdx).toBe(c.messages.length - 1);
    expect(c.messages[finalIdx].msg).toMatchObject({ id, credits: 1 });
    expect(closed.code).toBe(1000);
    if (speed === 1) expect(c.messages.some((m) => typeof m.msg.partial === 'string' && (m.msg.partial as string).length > 0)).toBe(true);
    expect(slowest).toBeLessThan(3000);

    // Charged once: one started minute, one settle entry for the stream id.
    const charges = await stack.ledger.jobCharges(id);
    expect(charges).toEqual([expect.objectContaining({ reserved: expect.any(Number), settled: 1, refunded: null })]);
    expect(await stack.ledger.audit()).toEqual([]);

    // Stored: listed with the account's transcripts, same JSON as /v1/transcribe, exportable.
    const headers = { Authorization: `Bearer ${key}` };
    let listed: Array<{ id: string }> = [];
    for (let i = 0; i < 50 && !listed.some((j) => j.id === id); i++) {
      listed = (await json(await fetch(`${stack.baseUrl}/api/v1/transcripts/?status=succeeded`, { headers }))).jobs;
      if (!listed.some((j) => j.id === id)) await new Promise((r2) => setTimeout(r2, 200));
    }
    expect(listed.map((j) => j.id)).toContain(id);
    const detail = await json(await fetch(`${stack.baseUrl}/api/v1/transcripts/${id}`, { headers }));
    expect(detail.transcript).toMatchObject({ language: 'en', model: 'base', speakers: [] });
    expect(wordErrorRate(streamText, detail.transcript.text)).toBe(0);
    const srt = await fetch(`${stack.baseUrl}/api/v1/transcripts/${id}/export/srt`, { headers });
    expect(srt.status).toBe(200);
    expect(await srt.text()).toMatch(/00:00:0\d,\d{3} --> /);
  }
});

/** Opens a stream, runs `act`, and returns the error message and close code the server ended with. */
async function endsWith(act: (c: StreamClient) => Promise<void>, url = `${wsUrl}?api_key=${key}`) {
  const c = new StreamClient(url);
  await c.opened();
  await act(c);
  const closed = await c.closed;
  const err = c.messages.find((m) => typeof m.msg.error === 'string')?.msg;
  return { error: err?.error as string | undefined, err, code: closed.code, c };
}

it('bad input: a clear JSON error, then the close code; REST stays up', async () => {
  const nonJson = await endsWith(async (c) => c.json('hello there'));
  expect(nonJson).toMatchObject({ code: 1003, error: expect.stringMatching(/must be JSON/) });

  const noConfig = await endsWith(async (c) => c.ws.send(Buffer.alloc(8192)));
  expect(noConfig).toMatchObject({ code: 1008, error: expect.stringMatching(/config first/) });

  const silentConnect = await endsWith(async () => undefined);
  expect(silentConnect).toMatchObject({ code: 4008, error: expect.stringMatching(/No config/) });

  const badModel = await endsWith(async (c) => c.json({ language: 'en', model: 'medium' }));
  expect(badModel).toMatchObject({ code: 1008, error: expect.stringMatching(/medium.*not installed.*Installed: base/) });
  expect(badModel.err).toMatchObject({ installed: ['base'] });

  const badKey = await endsWith(async () => undefined, `${wsUrl}?token=not-a-key`);
  expect(badKey).toMatchObject({ code: 1008, error: 'Invalid or revoked API key.' });

  const odd = await endsWith(async (c) => {
    await ready(c, { language: 'en' });
    c.ws.send(Buffer.alloc(4097));
  });
  expect(odd).toMatchObject({ code: 1003, error: expect.stringMatching(/whole 16-bit samples/) });

  const huge = await endsWith(async (c) => {
    await ready(c, { language: 'en' });
    c.ws.send(Buffer.alloc(100 * 1024 * 1024));
  });
  expect(huge).toMatchObject({ code: 1009, error: expect.stringMatching(/at most 512 KB/) });

  const textAfterReady = await endsWith(async (c) => {
    await ready(c, { language: 'en' });
    c.json('{not json');
  });
  expect(textAfterReady).toMatchObject({ code: 1003, error: expect.stringMatching(/must be JSON/) });

  // Silence: no speech for VOXFLOW_STREAM_IDLE_MS (4 s here) of audio closes the stream, is_final included.
  const silence = await endsWith(async (c) => {
    await ready(c, { language: 'en' });
    await c.stream(Buffer.alloc(16000 * 2 * 8), { speed: 4 });
  });
  expect(silence).toMatchObject({ code: 4000, error: expect.stringMatching(/No speech for 4 s/) });

  // No audio at all after ready: the wall-clock idle bound.
  const idle = await endsWith(async (c) => void (await ready(c, { language: 'en' })));
  expect(idle).toMatchObject({ code: 4000, error: expect.stringMatching(/No audio for 4 s/) });

  // Nothing leaked: every stream released its slot and settled (0 credits: no audio minute started... or 1 when audio came).
  expect(await stack.ledger.audit()).toEqual([]);
  const slots = await stack.db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM job_slots`);
  expect(Number(slots[0].n)).toBe(0);
  expect((await fetch(`${stack.baseUrl}/health`)).status).toBeLessThan(600);
  expect((await fetch(`${stack.baseUrl}/v1/models`)).status).toBe(200);
});

it('follow-up steps from the config: diarize and summarize run as one recipe job on the recorded audio once the stream ends, billed per step', async () => {
  // The first 5 s of speech (fellow, americans) and a pause, in bursts.
  const short = Buffer.concat([pcm.subarray(0, 16000 * 2 * 5), Buffer.alloc(16000 * 2)]);
  const before = await stack.ledger.balance(accountId); // the stream holds credits from ready on
  const c = new StreamClient(`${wsUrl}?token=${key}`);
  await ready(c, { language: 'en', model: 'base', diarize: true, summarize: 'brief' });
  await c.stream(short, { speed: 4 });
  c.json({ action: 'stop' });
  expect((await c.closed).code).toBe(1000);
  const fin = c.messages.at(-1)!.msg;
  expect(fin).toMatchObject({ is_final: true, credits: 1, follow_up: { id: expect.stringMatching(/^job_/), steps: ['transcribe', 'diarize', 'summarize'], status_url: expect.stringMatching(/^\/v1\/jobs\/job_/) } });
  const followId = (fin.follow_up as { id: string }).id;

  // An ordinary job of the account: polled like any other, each step billed on its own.
  const headers = { Authorization: `Bearer ${key}` };
  let v: Record<string, any> = {};
  for (let i = 0; i < 600; i++) {
    v = await json(await fetch(`${stack.baseUrl}/v1/jobs/${followId}`, { headers }));
    if (v.status === 'succeeded' || v.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(v.status).toBe('succeeded');
  expect(v.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['probe', 'done'], ['transcribe', 'done'], ['diarize', 'done'], ['summarize', 'done']]);
  // Like an upload: the recording's minute carried by transcribe (diarize shares it), the summary its text.
  const credits = Object.fromEntries(v.steps.map((s: { name: string; credits?: unknown }) => [s.name, s.credits]));
  expect(credits).toMatchObject({ transcribe: { reserved: 1, charged: 1 }, diarize: { reserved: 0, charged: 0 }, summarize: { reserved: 1, charged: 1 } });
  expect(await stack.ledger.balance(accountId)).toBe(before - 1 - 2); // the stream's minute, then the job's steps
  const tr = await json(await fetch(`${stack.baseUrl}/v1/jobs/${followId}/result?step=diarize`, { headers }));
  expect(tr.speakers.length).toBeGreaterThanOrEqual(1);
  expect(tr.text.toLowerCase()).toMatch(/fellow americans/);
  const summary = await json(await fetch(`${stack.baseUrl}/v1/jobs/${followId}/result?step=summarize`, { headers }));
  expect(summary.summary.length).toBeGreaterThan(0);

  // Refused up front: a bad style, and follow-ups for a caller who cannot be billed per step (no key).
  const badStyle = await endsWith(async (c2) => c2.json({ language: 'en', summarize: 'haiku' }));
  expect(badStyle).toMatchObject({ code: 1008, error: expect.stringMatching(/summarize.*brief, detailed/) });
  const anonymous = await endsWith(async (c2) => c2.json({ language: 'en', diarize: true }), wsUrl);
  expect(anonymous).toMatchObject({ code: 1008, error: expect.stringMatching(/need an API key/) });
  expect(await stack.ledger.audit()).toEqual([]);
});
