import { upsertSearchAttributes } from '@temporalio/workflow';
import { SA, type JobResult, type StepProgress, type TranscriptSummary } from './model';

/** What the API hands over when a live stream (WS /v1/stream) ends: the transcript is already stored. */
export interface StreamTranscriptInput {
  jobId: string;
  tenant: string;
  key: string;
  contentType: string;
  sizeBytes: number;
  /** Seconds of audio streamed (what was billed). */
  duration: number;
  startedAt: string;
  summary: TranscriptSummary;
  /** Credits the stream was charged (settled by the API when it ended). */
  credits?: number;
}

/**
 * Records a finished live stream as a transcription job, so it is listed, viewed, exported and
 * deleted by /api/v1/transcripts exactly like an uploaded file's (those read Temporal's visibility
 * store and a job result; a second listing source would have to be merged and paginated with it).
 * The API already stored the transcript and settled the credits: no activity, nothing to retry.
 */
export async function streamTranscriptJob(input: StreamTranscriptInput): Promise<JobResult> {
  upsertSearchAttributes([
    { key: SA.status, value: 'succeeded' },
    { key: SA.language, value: input.summary.language },
  ]);
  const step: StepProgress = {
    name: 'transcribe',
    status: 'done',
    progress: 1,
    startedAt: input.startedAt,
    note: 'live stream (WS /v1/stream)',
    ...(input.credits !== undefined ? { credits: { reserved: input.credits, charged: input.credits } } : {}),
  };
  return {
    jobId: input.jobId,
    recipe: 'transcribe',
    media: { duration: input.duration, container: 'pcm_s16le', sizeBytes: Math.round(input.duration * 32_000), audio: { codec: 'pcm_s16le', sampleRate: 16_000, channels: 1 }, hasVideo: false },
    outputs: [{ kind: 'transcript', key: input.key, contentType: input.contentType, sizeBytes: input.sizeBytes }],
    steps: [step],
    transcript: input.summary,
  };
}
