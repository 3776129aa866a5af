/**
 * The Python SDK (sdk/python, package `voxflow`) and its `voxflow` CLI against a live stack: pytest
 * runs sdk/python/tests in the cached venv (scripts/install-sdk-python.sh) with the stack's URL,
 * paid keys and a short real speech file, and must pass. The pytest report is printed on failure.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { paidKeyOn } from '../helpers/text-api';
import { startStack, type Stack } from '../helpers/stack';
import { clientMedia, keysOn, runProcess, sdkPython, sdkTestConfig } from './live-sdk';

jest.setTimeout(720_000);

// Anonymous jobs are refused (0 a day) so the 429 path is tested without spending real quota.
const config = sdkTestConfig({ VOXFLOW_ANON_JOBS_PER_DAY: '0' });
const sdk = path.resolve(__dirname, '../../sdk/python');
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

it('pytest sdk/python/tests passes against the live server (sync, async, CLI)', async () => {
  const python = await sdkPython();
  const { key, brokeKey } = await keysOn(stack, 'pysdk');
  const media = clientMedia(path.join(config.dataDir, 'media'));
  const poor = await paidKeyOn(stack, 'pysdk-poor', 1);
  const long = path.join(media.dir, 'long.wav'); // jfk six times: 66 s, 2 credits
  execFileSync(config.media.ffmpeg, ['-y', '-loglevel', 'error', '-stream_loop', '5', '-i', media.wav, '-c', 'copy', long]);
  const res = await runProcess(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--tb=short', '-rA', '--durations=0', 'tests'], {
    cwd: sdk,
    env: {
      ...process.env,
      PYTHONPATH: path.join(sdk, 'src'),
      PYTHONDONTWRITEBYTECODE: '1',
      VOXFLOW_BASE_URL: stack.baseUrl!,
      VOXFLOW_TEST_KEY: key,
      VOXFLOW_TEST_BROKE_KEY: brokeKey,
      VOXFLOW_TEST_AUDIO: media.mp3,
      VOXFLOW_TEST_AUDIO_TEXT: media.text,
      VOXFLOW_TEST_POOR_KEY: poor.headers.Authorization.replace(/^Bearer /, ''),
      VOXFLOW_TEST_LONG_AUDIO: long,
    },
    timeoutMs: 660_000,
  });
  const summary = res.stdout.trim().split('\n').pop() ?? '';
  console.log(`pytest (${Math.round(res.ms / 1000)} s): ${summary}`);
  if (res.code !== 0) console.log(res.stdout, res.stderr);
  else console.log(/=+ slowest durations =+[\s\S]*?(?=\n=)/.exec(res.stdout)?.[0] ?? '');
  expect(res.code).toBe(0);
  expect(summary).toMatch(/\d+ passed/);
  expect(summary).not.toMatch(/failed|error|skipped/);
});
