/**
 * The diarize step's credits and its failure mode, through real workflows on the dev server: a
 * transcription request costs ⌈minutes⌉ whatever it includes, so diarization shares the
 * transcription's price (its own ledger entry, at 0); an account that can pay for the request gets
 * the speakers too; and when the step cannot run the job still returns the transcript (without
 * speakers) and shows the step's typed error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import type { Transcript } from '../../lib/transcript/types';
import type { JobResult } from '../../workflows/model';
import { testConfig } from '../helpers/config';
import { diarizationCase } from '../helpers/diarization-set';
import { startJob } from '../helpers/jobs';
import { cacheDir } from '../helpers/models';
import { startStack, type Stack } from '../helpers/stack';

// Two diarized transcriptions in the first test: allow for a busy CPU.
jest.setTimeout(400_000);

const options = { model: 'base', language: 'auto', diarize: true, speakers: 0, wordTimestamps: true };

async function billedTranscription(stack: Stack, config: ReturnType<typeof testConfig>, credits: number) {
  const a = await stack.ledger.createAccount({ tenant: `diar-${Math.random()}`, credits });
  const { handle, jobId } = await startJob(stack.client, config, stack.store, diarizationCase('two-voices').wav, 'transcribe', a.tenant, {
    billing: { accountId: a.id },
    transcribe: options,
  });
  const result = (await handle.result()) as JobResult;
  const transcript = JSON.parse(await text(await stack.store.get(result.outputs[0].key))) as Transcript;
  return { a, jobId, result, transcript };
}

it('charges a diarized transcription the request\'s price once: 36 s = 1 credit, diarize at 0 beside it', async () => {
  const config = testConfig();
  const stack = await startStack(config);
  try {
    const { a, jobId, result, transcript } = await billedTranscription(stack, config, 10); // 36 s: 1 credit for the request
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([['probe', 'done'], ['transcribe', 'done'], ['diarize', 'done'], ['embed', 'done']]);
    expect(await stack.ledger.jobCharges(jobId)).toEqual([
      { step: 'transcribe', reserved: 1, settled: 1, refunded: null },
      { step: 'diarize', reserved: 0, settled: 0, refunded: null },
    ]);
    expect(await stack.ledger.balance(a.id)).toBe(9);
    expect(transcript.speakers).toEqual(['Speaker 1', 'Speaker 2']);
    expect(result.transcript).toMatchObject({ speakers: 2, segments: transcript.segments.length });

    // An account holding exactly the request's price gets the whole request, speakers included.
    const poor = await billedTranscription(stack, config, 1);
    expect(poor.result.steps.find((s) => s.name === 'diarize')!.status).toBe('done');
    expect(poor.transcript.speakers).toEqual(['Speaker 1', 'Speaker 2']);
    expect(await stack.ledger.balance(poor.a.id)).toBe(0);
  } finally {
    await stack.stop();
  }
});

it('returns the transcript without speakers, with the step\'s error, when diarization cannot run', async () => {
  // A worker whose models folder has Whisper and the VAD but no speaker-embedding model.
  const config = testConfig();
  const models = path.join(config.dataDir, 'models');
  fs.mkdirSync(models, { recursive: true });
  for (const m of ['whisper', 'vad']) fs.symlinkSync(path.join(cacheDir(), 'models', m), path.join(models, m));
  const stack = await startStack({ ...config, modelsDir: models });
  try {
    const { a, jobId, result, transcript } = await billedTranscription(stack, config, 10);
    const diarize = result.steps.find((s) => s.name === 'diarize')!;
    expect(diarize.status).toBe('failed');
    expect(diarize.error).toMatchObject({ type: 'ModelNotInstalled' });
    expect(diarize.error!.message).toMatch(/install-speaker\.sh/);
    expect(diarize.credits).toEqual({ reserved: 0, refunded: 0 });
    expect(await stack.ledger.jobCharges(jobId)).toEqual([
      { step: 'transcribe', reserved: 1, settled: 1, refunded: null },
      { step: 'diarize', reserved: 0, settled: null, refunded: 0 },
    ]);
    expect(await stack.ledger.balance(a.id)).toBe(9);
    expect(transcript.speakers).toEqual([]);
    expect(transcript.text.length).toBeGreaterThan(50);
    expect(result.transcript?.speakers).toBeUndefined();
  } finally {
    await stack.stop();
  }
});
