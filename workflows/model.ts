/**
 * The job/recipe/step model shared by workflows, activities, workers and the API.
 * Built-in-free on purpose: workflow bundles must not pull in Node modules.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the Temporal server (temporal/search-attributes.ts) so operators can filter jobs in the Web UI. */
export const SA = {
  tenant: defineSearchAttributeKey('VoxflowTenant', SearchAttributeType.KEYWORD),
  recipe: defineSearchAttributeKey('VoxflowRecipe', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('VoxflowStatus', SearchAttributeType.KEYWORD),
  /** Spoken language of a transcription (detected or given), set once the transcribe step is done. */
  language: defineSearchAttributeKey('VoxflowLanguage', SearchAttributeType.KEYWORD),
} as const;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** Names of durable steps; each is one activity and (from the billing issue on) one ledger line. */
export type StepName = 'probe' | 'enhance' | 'transcribe' | 'diarize' | 'format' | 'summarize' | 'translate' | 'generate' | 'analyze' | 'embed' | 'tts';

export type RecipeName = 'enhance-audio' | 'transcribe' | 'probe' | 'summarize';

/** Failure types carried by ApplicationFailure.type; the API maps each to one HTTP status. */
export const FailureType = {
  InvalidMedia: 'InvalidMedia',
  InvalidInput: 'InvalidInput',
  ModelNotInstalled: 'ModelNotInstalled',
  InsufficientCredits: 'InsufficientCredits',
  /** More decoded audio than the caller's tier may send (anonymous callers: VOXFLOW_ANON_MAX_AUDIO_S). */
  AudioTooLong: 'AudioTooLong',
  Internal: 'Internal',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export interface TaskQueues {
  control: string;
  gpu: string;
}

/** Everything a job needs, decided by the API at submit time (config is passed in, never read inside). */
export interface JobInput {
  jobId: string;
  tenant: string;
  recipe: RecipeName;
  queues: TaskQueues;
  /** Object-storage key of the uploaded media. */
  mediaKey: string;
  /** Original filename as uploaded, for download names. */
  filename: string;
  submittedAt: string;
  /** Whose credits pay for the billable steps; absent for callers without a credit account. */
  billing?: { accountId: string };
  /** Most seconds of decoded audio this caller's tier may send (anonymous callers); absent: no limit. */
  maxAudioSeconds?: number;
  /** The API holds a concurrent-job slot for this job in the database; the workflow releases it. */
  slot?: boolean;
  /** Recipe parameters, validated by the API. */
  transcribe?: TranscribeOptions;
  /** POST /v1/summarize: the text itself is the object at `mediaKey` (claim check), never in the input. */
  summarize?: SummarizeOptions;
}

export const SUMMARY_STYLES = ['brief', 'detailed', 'action_items', 'bullet_points'] as const;
export type SummaryStyle = (typeof SUMMARY_STYLES)[number];

export interface SummarizeOptions {
  style: SummaryStyle;
  /** Characters of the stored text (what the price is computed from, see pricing.ts textCredits). */
  chars: number;
  /** Its size in storage (UTF-8 bytes). */
  bytes: number;
}

export interface TranscribeOptions {
  /** The installed model that will run (resolved by the API; never substituted later). */
  model: string;
  /** ISO 639-1 code, or 'auto' to detect. */
  language: string;
  diarize: boolean;
  speakers: number;
  wordTimestamps: boolean;
}

export interface StepProgress {
  name: StepName;
  status: StepStatus;
  /** 0..1 within the step; running steps report their activity's heartbeats through the API. */
  progress: number;
  startedAt?: string;
  completedAt?: string;
  error?: { type: string; message: string };
  /** Why a step was skipped, for the job view. */
  note?: string;
  /** Credits this step cost (settled), or returned (refunded) when it failed. */
  credits?: { reserved: number; charged?: number; refunded?: number };
}

export interface JobProgress {
  jobId: string;
  recipe: RecipeName;
  status: JobStatus;
  steps: StepProgress[];
}

export interface MediaSummary {
  /** Seconds of audio: decoded (what billing counts) for jobs from the decoded-duration change on. */
  duration: number;
  /** What the container's metadata claimed, when the decoded length was measured. */
  declaredDuration?: number;
  container: string;
  sizeBytes: number;
  audio: { codec: string; sampleRate: number; channels: number };
  hasVideo: boolean;
}

/** A workflow's return value: small, with keys to objects in storage (claim check). */
export interface JobResult {
  jobId: string;
  recipe: RecipeName;
  media: MediaSummary;
  outputs: Array<{ kind: 'audio' | 'transcript' | 'summary'; key: string; contentType: string; sizeBytes: number }>;
  steps: StepProgress[];
  /** Small facts about a transcript (the body itself is in storage). */
  transcript?: TranscriptSummary;
  /** Small facts about a text step's result (the text itself is in storage). */
  text?: TextStepSummary;
}

export interface TextStepSummary {
  /** The LLM that ran. */
  model: string;
  style: string;
  /** Map-reduce: chunks summarized first (1: the text was summarized in one pass). */
  chunks: number;
  promptTokens: number;
  outputTokens: number;
}

export interface TranscriptSummary {
  model: string;
  language: string;
  languageProbability?: number;
  segments: number;
  words: number;
  speechSeconds: number;
  resumedFromS: number;
  /** Distinct speakers labelled by the diarize step (absent when it did not run). */
  speakers?: number;
}

/** Heartbeat details every long activity reports (also the resume point after a crash). */
export interface StepHeartbeat {
  progress: number;
  resumeFrom?: unknown;
}

export const progressQueryName = 'progress';

export const outputKey = (jobId: string, name: string) => `jobs/${jobId}/${name}`;
export const mediaKey = (jobId: string, ext: string) => `uploads/${jobId}/source.${ext}`;
/** Folders that hold jobs' objects: `jobs/<job id>/` (outputs) and `uploads/<upload id>/` (the media; its key is in the job's input). */
export const OUTPUTS_ROOT = 'jobs/';
export const UPLOADS_ROOT = 'uploads/';
export const jobOutputsPrefix = (jobId: string) => `${OUTPUTS_ROOT}${jobId}/`;
