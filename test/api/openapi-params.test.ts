/**
 * The published form schemas and the validators agree: for each sample value, the schema in the
 * OpenAPI document accepts it exactly when the route's validator does (no stack needed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ModelRegistry } from '../../lib/models/registry';
import { openApiDocument } from '../../api/openapi/document';
import { parseTranscribeParams } from '../../api/params/transcribe';
import { parseOpenAiAudioParams } from '../../api/openai/params';
import { parseEnhanceParams } from '../../api/params/enhance';

// A models dir with one installed Whisper (a manifest is what "installed" means).
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vf-models-'));
fs.mkdirSync(path.join(modelsDir, 'whisper', 'base'), { recursive: true });
fs.writeFileSync(path.join(modelsDir, 'whisper', 'base', 'manifest.json'), '{}');
const models = new ModelRegistry(modelsDir);
afterAll(() => fs.rmSync(modelsDir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const doc: any = openApiDocument({ version: 'test' });
const ajv = new Ajv2020({ strict: false });
const formSchema = (p: string) => doc.paths[p].post.requestBody.content['multipart/form-data'].schema;

const accepts = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

it.each([
  ['speakers', ['0', '2', '32', '007', '33', '-1', '1.5', 'two', ' 3']],
  ['diarize', ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'maybe', 'truee']],
  ['response_format', ['json', 'txt', 'srt', 'vtt', 'xml', 'JSON', 'csv']],
])('POST /v1/transcribe `%s`: the document accepts what the validator accepts', (name, values) => {
  const prop = ajv.compile(formSchema('/v1/transcribe').properties[name]);
  for (const v of values) {
    expect({ value: v, validator: accepts(() => parseTranscribeParams({ [name]: v }, models)) }).toEqual({ value: v, validator: prop(v) });
  }
});

it.each([
  ['response_format', ['json', 'text', 'srt', 'vtt', 'verbose_json', 'txt', 'xml']],
  ['temperature', [0, 0.5, 1, 1.5, -0.1]],
])('POST /v1/audio/transcriptions `%s`: the document accepts what the validator accepts', (name, values) => {
  const prop = ajv.compile(formSchema('/v1/audio/transcriptions').properties[name]);
  for (const v of values) {
    expect({ value: v, validator: accepts(() => parseOpenAiAudioParams({ model: 'whisper-1', [name]: String(v) }, models, 'transcribe')) }).toEqual({ value: v, validator: prop(v) });
  }
});

it.each([
  ['loudness', ['-20', '-40', '-5', '-41', '0', 'loud', '-2e1']],
  ['sample_rate', ['16000', '48000', '12345', '16000.5', 'fast']],
])('POST /v1/enhance-audio `%s`: the form field the document publishes is the one parsed', (name, values) => {
  // Input side of the published schema (a transform's output is not what a client sends): the form field itself.
  const prop = ajv.compile(formSchema('/v1/enhance-audio').properties[name]);
  for (const v of values) {
    const doc = prop(v);
    const validator = accepts(() => parseEnhanceParams({ [name]: v }, models));
    // The document cannot state a numeric range on a text field: it may accept more than the validator, never less.
    if (validator) expect({ value: v, doc }).toEqual({ value: v, doc: true });
  }
});
