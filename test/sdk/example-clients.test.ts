/**
 * The upstream example clients (/work/shared/clients) against a live stack, run as users run them:
 * with VOXFLOW_URL / VOXFLOW_KEY and meeting.mp3 / video.mp4 in the working directory.
 * - curl.sh unchanged: the honest 400 for `model=large-v3-turbo` (not installed here), then SRT
 *   subtitles from the video, a summary, the models and health.
 * - example.py unchanged fails on that 400 (it reads `language` from the error body); a copy with only
 *   the `model` entry removed must work (the clients' README: "with model removed the example must work").
 * - example.js is broken on Node >= 18 by design (a `form-data` stream given to built-in fetch); its
 *   SDK rewrite sdk/node/examples/example.js works, and so does sdk/python/examples/example.py.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStack, type Stack } from '../helpers/stack';
import { buildNodeSdk, clientMedia, keysOn, runProcess, sdkPython, sdkTestConfig, voxflowPackageHome } from './live-sdk';

jest.setTimeout(420_000);

const CLIENTS = process.env.VOXFLOW_EXAMPLE_CLIENTS ?? path.resolve(__dirname, '../../../shared/clients');
const config = sdkTestConfig();
let stack: Stack;
let env: NodeJS.ProcessEnv;
let media: ReturnType<typeof clientMedia>;
let python: string;
beforeAll(async () => {
  [stack, python] = await Promise.all([startStack(config, { api: true }), sdkPython(), buildNodeSdk()]);
  const { key } = await keysOn(stack, 'examples');
  media = clientMedia(path.join(config.dataDir, 'clients'));
  env = { ...process.env, VOXFLOW_URL: stack.baseUrl, VOXFLOW_KEY: key };
});
afterAll(() => stack?.stop());

/** curl prints bodies back to back with no separator: split them into JSON documents. */
function jsonDocuments(out: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < out.length; i++) {
    const ch = out[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) docs.push(JSON.parse(out.slice(start, i + 1)));
  }
  return docs;
}

const SRT_CUE = /^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\r?\n\S/;

it('curl.sh, unchanged: honest 400 for large-v3-turbo, SRT from the video, summary, models, health', async () => {
  const res = await runProcess('bash', [path.join(CLIENTS, 'curl.sh')], { cwd: media.dir, env });
  expect(res.code).toBe(0);
  const [transcribe, summary, models, health] = jsonDocuments(res.stdout) as Array<Record<string, any>>;
  expect(transcribe).toMatchObject({ code: 'model_not_installed', param: 'model' });
  expect(transcribe.error).toMatch(/large-v3-turbo/);
  expect(transcribe.installed).toContain('base');
  const srt = fs.readFileSync(path.join(media.dir, 'subtitles.srt'), 'utf8');
  expect(srt).toMatch(SRT_CUE);
  expect(srt.toLowerCase()).toContain('country');
  expect(summary).toMatchObject({ style: 'brief' });
  expect(typeof summary.summary).toBe('string');
  expect(models.models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['large-v3-turbo', 'base']));
  expect(health).toMatchObject({ status: 'ok', gpu_available: false });
});

it('example.py: unchanged it stops on the honest 400; with only `model` removed it prints the transcript and a summary', async () => {
  const original = await runProcess(python, [path.join(CLIENTS, 'example.py')], { cwd: media.dir, env });
  expect(original.code).toBe(1);
  expect(original.stderr).toContain("KeyError: 'language'");

  const source = fs.readFileSync(path.join(CLIENTS, 'example.py'), 'utf8');
  const withoutModel = source.replace('"model": "large-v3-turbo", ', '');
  expect(withoutModel.length).toBe(source.length - '"model": "large-v3-turbo", '.length);
  const copy = path.join(media.dir, 'example-without-model.py');
  fs.writeFileSync(copy, withoutModel);
  const res = await runProcess(python, [copy], { cwd: media.dir, env });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/^Language: en, Duration: 11\.\ds\n\[0\.\ds\] Speaker 1: /);
  expect(res.stdout.trim().split('\n').length).toBeGreaterThan(2); // the summary follows the segments
});

it('the SDK rewrites of example.js (Node, CJS require of "voxflow") and example.py work', async () => {
  const home = voxflowPackageHome(path.join(config.dataDir, 'node-app'));
  const js = await runProcess(process.execPath, [path.resolve(__dirname, '../../sdk/node/examples/example.js')], {
    cwd: media.dir,
    env: { ...env, NODE_PATH: path.join(home, 'node_modules') },
  });
  expect(js.stderr).toBe('');
  expect(js.code).toBe(0);
  expect(js.stdout).toMatch(/^Duration: 11\.\ds \(model base\)\n\[0\.\ds\] Speaker 1: .*country/i);

  const py = await runProcess(python, [path.resolve(__dirname, '../../sdk/python/examples/example.py')], {
    cwd: media.dir,
    env: { ...env, PYTHONPATH: path.resolve(__dirname, '../../sdk/python/src') },
  });
  expect(py.stderr).toBe('');
  expect(py.code).toBe(0);
  expect(py.stdout).toMatch(/^Language: en, Duration: 11\.\ds \(model base\)\n\[0\.\ds\] Speaker 1: /);
});
