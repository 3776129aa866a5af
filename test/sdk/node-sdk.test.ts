/**
 * The Node SDK (sdk/node) against a live stack, through its builds as users get them: the CJS build
 * loaded with require() in this process, and the ESM build loaded with a dynamic import() in a plain
 * Node process (package name resolved through package.json "exports").
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, type Stack } from '../helpers/stack';
import { buildNodeSdk, clientMedia, keysOn, runProcess, sdkTestConfig, voxflowPackageHome } from './live-sdk';
import type * as Sdk from '../../sdk/node/src/index';

jest.setTimeout(300_000);

const config = sdkTestConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '0' });
let stack: Stack;
let vf: typeof Sdk;
let keys: Awaited<ReturnType<typeof keysOn>>;
let media: ReturnType<typeof clientMedia>;
beforeAll(async () => {
  [stack] = await Promise.all([startStack(config, { api: true }), buildNodeSdk()]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  vf = require(path.resolve(__dirname, '../../sdk/node/dist/cjs/index.js'));
  keys = await keysOn(stack, 'nodesdk');
  media = clientMedia(path.join(config.dataDir, 'media'));
});
afterAll(() => stack?.stop());

const words = (s: string) => new Set(s.toLowerCase().match(/[a-z']+/g) ?? []);

it('CJS build (require): transcribe a path with progress, typed transcript; speech from text; catalogue without a key', async () => {
  const client = new vf.Client({ apiKey: keys.key, baseUrl: stack.baseUrl, pollIntervalMs: 300 });
  const views: Sdk.Job[] = [];
  const t = await client.transcribe(media.mp3, { diarize: false, onProgress: (j) => views.push(j) });
  expect(t.model).toBe('base');
  expect(t.language).toBe('en');
  expect(t.duration).toBeGreaterThan(10);
  const ref = words(media.text);
  expect([...words(t.text)].filter((w) => ref.has(w)).length).toBeGreaterThanOrEqual(0.7 * ref.size);
  expect(views.at(-1)).toMatchObject({ status: 'succeeded', progress: 1 });
  expect(views.at(-1)!.steps!.map((s) => s.name).slice(0, 2)).toEqual(['probe', 'transcribe']);
  expect(views.at(-1)!.steps!.find((s) => s.name === 'transcribe')!.credits).toMatchObject({ charged: 1 });

  const wav = (await client.tts('Hello from the Node SDK.')) as Uint8Array;
  expect(Buffer.from(wav.subarray(0, 4)).toString()).toBe('RIFF');
  expect(wav.length).toBeGreaterThan(10_000);

  const anon = new vf.Client({ baseUrl: stack.baseUrl });
  expect((await anon.models()).models.some((m) => m.id === 'base' && m.installed)).toBe(true);
  expect((await anon.health()).status).toBe('ok');
});

it('CJS build: every documented error status is its class, carrying the JSON body', async () => {
  const client = new vf.Client({ apiKey: keys.key, baseUrl: stack.baseUrl });
  const bad = await client.transcribe(media.mp3, { model: 'large-v3-turbo' }).catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(vf.BadRequestError);
  expect(bad).toMatchObject({ status: 400, code: 'model_not_installed' });
  expect((bad as Sdk.APIError).body.installed).toContain('base');

  const auth = await new vf.Client({ apiKey: 'vf_wrong', baseUrl: stack.baseUrl }).account().catch((e: unknown) => e);
  expect(auth).toBeInstanceOf(vf.AuthenticationError);
  expect(auth).toBeInstanceOf(vf.APIError);

  const broke = await new vf.Client({ apiKey: keys.brokeKey, baseUrl: stack.baseUrl }).summarize('No credits.').catch((e: unknown) => e);
  expect(broke).toBeInstanceOf(vf.PaymentRequiredError);
  expect((broke as Sdk.APIError).body.error).toBe('No credits remaining. Upgrade your plan.');

  const limited = await new vf.Client({ baseUrl: stack.baseUrl }).transcribe(new Uint8Array(fs.readFileSync(media.mp3))).catch((e: unknown) => e);
  expect(limited).toBeInstanceOf(vf.RateLimitError);
  expect((limited as Sdk.RateLimitError).retryAfter).toBeGreaterThan(0);

  const down = await new vf.Client({ baseUrl: 'http://127.0.0.1:9' }).health().catch((e: unknown) => e);
  expect(down).toBeInstanceOf(vf.APIConnectionError);
});

it('ESM build (dynamic import of "voxflow"): submit, poll with progress, VTT result; a summary', async () => {
  const home = voxflowPackageHome(path.join(config.dataDir, 'esm-app'));
  const script = path.join(home, 'check.mjs');
  fs.writeFileSync(script, `
    const { Client } = await import('voxflow');
    const client = new Client({ pollIntervalMs: 300 }); // key and URL from VOXFLOW_API_KEY / VOXFLOW_BASE_URL
    const job = await client.transcribe(process.argv[2], { wait: false, diarize: false });
    const views = [];
    const done = await client.jobs.wait(job.id, { onProgress: (j) => views.push(j.progress) });
    const vtt = await client.jobs.result(job.id, { format: 'vtt' });
    const summary = await client.summarize('Ana: Luis, please book the venue by Monday. Luis: I will.', { style: 'action_items' });
    console.log(JSON.stringify({ submitted: job.status, status: done.status, views, vtt, summary }));
  `);
  const res = await runProcess(process.execPath, [script, media.mp3], {
    cwd: home,
    env: { ...process.env, VOXFLOW_API_KEY: keys.key, VOXFLOW_BASE_URL: stack.baseUrl },
  });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const out = JSON.parse(res.stdout);
  expect(['queued', 'running']).toContain(out.submitted);
  expect(out.status).toBe('succeeded');
  expect(out.views.at(-1)).toBe(1);
  expect(out.vtt).toMatch(/^WEBVTT\n\n00:00:00\.\d{3} --> /);
  expect(out.summary).toMatchObject({ style: 'action_items' });
  expect(out.summary.summary.toLowerCase()).toContain('venue');
});

it('CJS build: the WebSocket helper streams PCM to WS /v1/stream and gets the words back; a bad key is refused', async () => {
  const pcm = new Uint8Array(execFileSync(config.media.ffmpeg, ['-nostdin', '-v', 'error', '-i', media.mp3, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'], { maxBuffer: 64 << 20 }));
  const client = new vf.Client({ apiKey: keys.key, baseUrl: stack.baseUrl });
  const partials: string[] = [];
  const session = await client.stream({ language: 'en', onPartial: (p) => partials.push(p) });
  // The first 5 s ("And so, my fellow Americans, ask not..."), in 4096-sample frames as browsers send them.
  const five = pcm.subarray(0, 16000 * 2 * 5);
  for (let i = 0; i < five.length; i += 8192) session.sendAudio(five.subarray(i, i + 8192));
  const result = await session.finish(300_000); // a loaded 2-core machine decodes far slower than real time
  session.close();
  expect(result.messages[0]).toMatchObject({ status: 'ready' });
  expect(result.messages.at(-1)).toMatchObject({ is_final: true });
  expect([...words(result.text)]).toEqual(expect.arrayContaining(['fellow', 'americans']));
  // streamPcm: the same in one call.
  const short = await vf.streamPcm(await client.stream({ language: 'en' }), pcm.subarray(0, 16000 * 2));
  expect(short.messages.at(-1)).toMatchObject({ is_final: true });

  const refused = await new vf.Client({ apiKey: 'vf_wrong', baseUrl: stack.baseUrl }).stream({ language: 'en' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(vf.StreamError);
  // The server's {"error"} message, or (if the close overtook it) its policy close code.
  expect((refused as Error).message).toMatch(/^Invalid or revoked API key\.$|before it was ready \(1008/);
});
