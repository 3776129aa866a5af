/** The hub/URL install path, against a real local HTTP server (no internet needed). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ChecksumMismatchError, downloadModel } from '../../lib/models/download';

const files: Record<string, Buffer> = {
  'encoder.onnx': crypto.randomBytes(300_000),
  'sub/tokenizer.json': Buffer.from('{"model":{}}'),
};
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
let server: http.Server;
let base: string;
let requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    const name = req.url!.replace(/^\/models\//, '');
    const body = name === 'corrupt.onnx' ? Buffer.from('tampered') : files[name];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => (requests = []));

const plan = () => ({
  baseUrl: base,
  files: Object.entries(files).map(([name, b]) => ({ name, sha256: sha(b), bytes: b.length })),
  manifest: { model_id: 'test-model' },
});

it('downloads, verifies and installs every file, manifest last', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-'));
  await downloadModel(plan(), dir);
  for (const [name, b] of Object.entries(files)) expect(fs.readFileSync(path.join(dir, name)).equals(b)).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))).toEqual({ model_id: 'test-model' });
  // A second run re-verifies and downloads nothing.
  await downloadModel(plan(), dir);
  expect(requests).toHaveLength(Object.keys(files).length);
});

it('rejects a tampered file and leaves the model uninstalled', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-'));
  const p = { ...plan(), files: [...plan().files, { name: 'corrupt.onnx', sha256: sha(Buffer.from('original')) }] };
  await expect(downloadModel(p, dir)).rejects.toBeInstanceOf(ChecksumMismatchError);
  expect(fs.existsSync(path.join(dir, 'corrupt.onnx'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'corrupt.onnx.partial'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(false);
});

it('fails clearly on HTTP errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-'));
  await expect(downloadModel({ ...plan(), files: [{ name: 'missing.onnx', sha256: 'x' }] }, dir)).rejects.toThrow(/HTTP 404/);
});
