/**
 * A finished stream becomes a stored transcript: the contract's transcript JSON (as POST
 * /v1/transcribe writes it, via lib/asr/assemble.ts) in object storage, recorded as a `transcribe`
 * job by a tiny workflow (workflows/stream-transcript.ts) so /api/v1/transcripts lists, shows,
 * exports and deletes it like any other.
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { assembleTranscript } from '../../lib/asr/assemble';
import type { Config } from '../../lib/config';
import type { ObjectStore } from '../../lib/storage';
import type { StreamOutcome } from '../../lib/streaming/protocol';
import type { Transcript } from '../../lib/transcript/types';
import { SA, outputKey } from '../../workflows/model';
import type { StreamTranscriptInput } from '../../workflows/stream-transcript';

export async function saveStreamTranscript(
  deps: { store: ObjectStore; temporal: Client; config: Pick<Config, 'temporal'> },
  s: { jobId: string; tenant: string; startedAt: string; outcome: StreamOutcome; credits?: number },
): Promise<{ transcript: Transcript; key: string }> {
  const { outcome } = s;
  const transcript = assembleTranscript(outcome.parts, {
    model: outcome.model,
    language: outcome.language,
    languageProbability: outcome.languageProbability,
    duration: outcome.duration,
  });
  const key = outputKey(s.jobId, 'transcript.json');
  const info = await deps.store.put(key, JSON.stringify(transcript), { contentType: 'application/json' });
  const input: StreamTranscriptInput = {
    jobId: s.jobId,
    tenant: s.tenant,
    key,
    contentType: 'application/json',
    sizeBytes: info.size,
    duration: outcome.duration,
    startedAt: s.startedAt,
    credits: s.credits,
    summary: {
      model: outcome.model,
      language: outcome.language,
      ...(outcome.languageProbability !== undefined ? { languageProbability: outcome.languageProbability } : {}),
      segments: transcript.segments.length,
      words: transcript.segments.reduce((n, x) => n + x.words.length, 0),
      speechSeconds: outcome.parts.reduce((n, p) => n + (p.chunkEnd - p.chunkStart), 0),
      resumedFromS: 0,
    },
  };
  const t = deps.config.temporal;
  await deps.temporal.workflow.start('streamTranscriptJob', {
    taskQueue: t.taskQueues.control,
    workflowId: s.jobId,
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: SA.tenant, value: s.tenant },
      { key: SA.recipe, value: 'transcribe' },
      { key: SA.status, value: 'running' },
    ],
    memo: { filename: 'live-stream' },
  });
  return { transcript, key };
}
