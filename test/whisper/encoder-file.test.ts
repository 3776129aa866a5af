/**
 * Which encoder graph a Whisper model loads (lib/whisper/encoder-file.ts): fp32 by default; encoder_int8.onnx
 * (scripts/models/install-whisper-int8-encoder.sh) when asked for and derived from this model's own encoder;
 * asking for it otherwise is an error that names the installer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encoderFile, int8EncoderStatus } from '../../lib/whisper/encoder-file';

const SHA = 'a'.repeat(64);
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-encoder-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function installInt8(sourceSha: string, withRecord = true) {
  fs.writeFileSync(path.join(dir, 'encoder_int8.onnx'), 'graph');
  if (withRecord) fs.writeFileSync(path.join(dir, 'encoder_int8.json'), JSON.stringify({ file: 'encoder_int8.onnx', sha256: 'b'.repeat(64), source: { file: 'encoder.onnx', sha256: sourceSha } }));
}

test('without the int8 encoder installed: fp32 by default; asking for int8 says how to install it', () => {
  expect(encoderFile(dir, SHA)).toBe('encoder.onnx');
  expect(encoderFile(dir, SHA, 'fp32')).toBe('encoder.onnx');
  expect(() => encoderFile(dir, SHA, 'int8')).toThrow(/encoder_int8\.onnx is not installed.*install-whisper-int8-encoder\.sh/);
});

test('installed for this model: still fp32 by default (it costs WER), int8 when asked for', () => {
  installInt8(SHA);
  expect(int8EncoderStatus(dir, SHA)).toEqual({ installed: true });
  expect(encoderFile(dir, SHA)).toBe('encoder.onnx');
  expect(encoderFile(dir, SHA, 'int8')).toBe('encoder_int8.onnx');
});

test('an int8 encoder derived from another build of the weights, or without its record, is refused', () => {
  installInt8('c'.repeat(64));
  expect(() => encoderFile(dir, SHA, 'int8')).toThrow(/derived from encoder\.onnx cccccccccccc, the installed one is aaaaaaaaaaaa/);
  fs.rmSync(path.join(dir, 'encoder_int8.json'));
  installInt8(SHA, false);
  expect(() => encoderFile(dir, SHA, 'int8')).toThrow(/not installed/);
});
