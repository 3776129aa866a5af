/**
 * POST /v1/tts submissions. A form (`text`, `reference` clip, optional `voice`, `sample_rate`):
 * the clip streams to storage like any upload (its format is decided by content in the probe
 * step) and the text is stored beside it in the same upload folder, so deleting the job deletes
 * both. A JSON body (`text`, optional `voice`, `sample_rate`) has no reference: the text alone is
 * stored. Either way the workflow gets keys, never the text.
 */
import crypto from 'node:crypto';
import type { Context } from 'koa';
import { mediaKey, type JobResult } from '../../workflows/model';
import type { ApiDeps } from '../deps';
import { jsonBody, jsonBodyOf } from '../middleware/json-body';
import { ttsParams, type TtsParams } from '../params/tts-input';
import { requireObject } from '../params/text-input';
import { receiveUpload } from '../upload';
import type { JobService } from './service';
import { admitRequest, wantsAsync } from './submit-media';

const textKeyIn = (uploadId: string) => `uploads/${uploadId}/text.txt`;

/** `wait: false`: submit only (the caller streams the speech as it is made); `async`: the client asked for a 202. */
export async function submitTtsJob(
  ctx: Context,
  deps: ApiDeps,
  jobs: JobService,
  opts: { wait?: boolean } = {},
): Promise<{ jobId: string; result: JobResult | null; async: boolean; params: TtsParams; fields: Record<string, string> }> {
  const paramsOf = (raw: Record<string, unknown>): TtsParams =>
    ttsParams(raw, { maxChars: deps.config.tts.maxChars, defaultVoice: deps.config.tts.voice, models: deps.models });
  const multipart = Boolean(ctx.is('multipart/form-data'));
  let params: TtsParams | undefined;
  if (!multipart) {
    // Validation first: a malformed JSON request spends no anonymous job, slot or credit.
    await jsonBody({ idleMs: deps.config.http.uploadIdleMs, limitBytes: deps.config.tts.maxChars * 6 + 16 * 1024 })(ctx, async () => undefined);
    params = paramsOf(requireObject(jsonBodyOf(ctx), '`text` and an optional `voice`'));
  }
  const { tenant, jobId, admission } = await admitRequest(ctx, deps);
  const uploadId = crypto.randomUUID();
  const stored: string[] = [];
  let fields: Record<string, string> = {};
  try {
    let referenceKey: string | undefined;
    if (multipart) {
      const got = await receiveUpload(ctx, { store: deps.store, maxBytes: admission.maxUploadBytes, field: 'reference', keyFor: (ext) => mediaKey(uploadId, ext), idleMs: deps.config.http.uploadIdleMs });
      referenceKey = got.upload.key;
      stored.push(referenceKey);
      fields = got.fields;
      params = paramsOf(fields);
    }
    const p = params!;
    const textKey = multipart ? textKeyIn(uploadId) : mediaKey(uploadId, 'txt');
    await deps.store.put(textKey, p.text, { contentType: 'text/plain; charset=utf-8' });
    stored.push(textKey);
    const { created } = await jobs.submit({
      jobId,
      tenant,
      recipe: 'tts',
      mediaKey: referenceKey ?? textKey,
      filename: referenceKey ? 'reference' : 'text.txt',
      tts: { textKey, chars: p.chars, bytes: Buffer.byteLength(p.text), voice: p.voice, reference: Boolean(referenceKey), ...(p.sampleRate ? { sampleRate: p.sampleRate } : {}) },
      ...admission.job,
    });
    if (!created) {
      for (const k of stored) await deps.store.delete(k);
      await admission.undo();
    }
    ctx.state.log.info({ jobId, recipe: 'tts', created, chars: p.chars, reference: Boolean(referenceKey) }, 'job submitted');
  } catch (err) {
    await admission.undo();
    for (const k of stored) await deps.store.delete(k).catch(() => undefined);
    throw err;
  }
  const async = wantsAsync(ctx, fields);
  const result = async || opts.wait === false ? null : await jobs.waitForResult(jobId, deps.config.http.syncWaitMs);
  return { jobId, result, async, params: params!, fields };
}
