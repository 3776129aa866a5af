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
  /** The step a job is running now (recipes: kept current as steps progress; empty once it ends). */
  currentStep: defineSearchAttributeKey('VoxflowCurrentStep', SearchAttributeType.KEYWORD),
  /** Every model the job's steps ran (transcription, LLM, denoiser, embedder), added as each step ends. A list: a meeting job runs several. */
  model: defineSearchAttributeKey('VoxflowModel', SearchAttributeType.KEYWORD_LIST),
  /** The decoded audio's length as a bucket (durationBucket below), set once the probe step has measured it. */
  duration: defineSearchAttributeKey('VoxflowDuration', SearchAttributeType.KEYWORD),
} as const;

/** Buckets of decoded audio length for the Web UI's filters (`VoxflowDuration = "1-10m"`). */
export const DURATION_BUCKETS = ['<1m', '1-10m', '10-60m', '>60m'] as const;
export function durationBucket(seconds: number): (typeof DURATION_BUCKETS)[number] {
  if (seconds < 60) return '<1m';
  if (seconds < 600) return '1-10m';
  if (seconds < 3600) return '10-60m';
  return '>60m';
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** Names of durable steps; each is one activity and (from the billing issue on) one ledger line. */
export type StepName = 'probe' | 'enhance' | 'transcribe' | 'diarize' | 'format' | 'summarize' | 'translate' | 'generate' | 'analyze' | 'embed' | 'tts' | 'chat' | 'search';

export type RecipeName = 'recipe' | 'tts' | 'enhance-audio' | 'transcribe' | 'probe' | 'summarize' | 'analyze' | 'generate' | 'translate' | 'chat' | 'search' | 'embed';

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
  /** POST /v1/enhance-audio (and an enhance step before transcription). Absent: the former ffmpeg chain at -16 LUFS, 48 kHz. */
  enhance?: EnhanceOptions;
  /** POST /v1/summarize: the text itself is the object at `mediaKey` (claim check), never in the input. */
  summarize?: SummarizeOptions;
  /** POST /v1/analyze and /api/v1/transcripts/:id/analyze/ (text at `mediaKey`, as for summarize). */
  analyze?: AnalyzeOptions;
  /** POST /v1/generate and /api/v1/transcripts/:id/generate/. */
  generate?: GenerateOptions;
  /** POST /v1/translate: `mediaKey` holds the text, or a JSON array of texts for a batch. */
  translate?: TranslateOptions;
  /** POST /v1/jobs: the validated chain of steps (workflows/recipe-steps.ts) and where its input is. */
  chain?: RecipeChain;
  /** Where to POST the job's outcome (workflows/webhook.ts); the secret is in storage, never in history. */
  webhook?: WebhookTarget;
  /** POST /v1/embed: `mediaKey` holds the texts as a JSON array (claim check, as for a translate batch). */
  embed?: EmbedOptions;
  /** POST /api/v1/transcripts/:id/chat/: `mediaKey` holds the request document (lib/rag/chat-documents.ts). */
  chat?: ChatOptions;
  /** GET /api/v1/search: `mediaKey` holds the query and the tenant's transcript ids (lib/rag/search-documents.ts). */
  search?: SearchOptions;
  /** POST /v1/tts: the text is at `tts.textKey`; `mediaKey` is the reference clip (or the text, when none was sent). */
  tts?: TtsOptions;
}

/** POST /v1/embed: how many texts, and their total size (`chars`: the price, pricing.ts textCredits). */
export interface EmbedOptions extends TextMeasure {
  texts: number;
}

/** A chat turn: `chars` is the question's length (its price, pricing.ts textCredits). */
export interface ChatOptions extends TextMeasure {
  transcriptId: string;
  sessionId: string;
}

export interface SearchOptions {
  /** Results wanted (best first). */
  limit: number;
  /** Transcripts searched. */
  transcripts: number;
}

/** A multi-step recipe as the API validated it: a preset's name (or `custom`) and its steps in order. */
export interface RecipeChain {
  name: string;
  /** `media`: the upload at `mediaKey`; `text`: plain text at `mediaKey`; `transcript`: a stored transcript (its rendered text at `mediaKey`). */
  input: 'media' | 'text' | 'transcript';
  /** Input `transcript`: the source job's transcript object (read only; never deleted by this job). */
  transcriptKey?: string;
  /** Input `text`/`transcript`: the size of the text at `mediaKey` (the text steps' price). */
  text?: { chars: number; bytes: number };
  steps: RecipeStep[];
}

/** One step of a recipe with its validated options (see workflows/recipe-steps.ts for what each needs and produces). */
export type RecipeStep =
  | ({ step: 'enhance' } & EnhanceOptions)
  | { step: 'transcribe'; model: string; language: string; wordTimestamps: boolean }
  | { step: 'diarize'; speakers: number }
  | { step: 'translate'; target: string; source?: string; engines: Record<string, string> }
  | { step: 'summarize'; style: SummaryStyle }
  | { step: 'analyze'; type: AnalysisType }
  | { step: 'generate'; type: GenerationType }
  | { step: 'format'; formats: Array<'srt' | 'vtt'> }
  | { step: 'embed' };

export interface WebhookTarget {
  url: string;
  /** Storage key of the signing secret (absent: deliveries are unsigned). */
  secretKey?: string;
  /** The API's own origin as the caller reached it (`https://host`): the payload's `result_url` is `<apiBaseUrl>/v1/jobs/<id>/result`. */
  apiBaseUrl: string;
  /** Retry policy of the delivery activity (lib/config.ts VOXFLOW_WEBHOOK_*). */
  retry: { initialMs: number; maximumMs: number; maximumAttempts: number };
  timeoutMs: number;
}

export const SUMMARY_STYLES = ['brief', 'detailed', 'action_items', 'bullet_points'] as const;
export type SummaryStyle = (typeof SUMMARY_STYLES)[number];

/** The stored input of a text step: its size, and where it came from. */
export interface TextMeasure {
  /** Characters of the stored text (what the price is computed from, see pricing.ts textCredits). */
  chars: number;
  /** Its size in storage (UTF-8 bytes). */
  bytes: number;
  /**
   * `transcript`: the text is a stored transcript rendered one segment per line with its times and
   * speaker (lib/llm/transcript-text.ts), so steps can use real timestamps; absent: plain text.
   */
  from?: { kind: 'transcript'; transcriptId: string };
}

export interface SummarizeOptions extends TextMeasure {
  style: SummaryStyle;
}

export const ANALYSIS_TYPES = ['sentiment', 'topics', 'entities', 'action_items', 'questions', 'pii_redact'] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export interface AnalyzeOptions extends TextMeasure {
  type: AnalysisType;
}

export const GENERATION_TYPES = [
  'blog_post',
  'social_media',
  'newsletter',
  'key_quotes',
  'show_notes',
  'meeting_notes',
  'study_guide',
  'flashcards',
  'quiz',
  'chapter_markers',
] as const;
export type GenerationType = (typeof GENERATION_TYPES)[number];

export interface GenerateOptions extends TextMeasure {
  type: GenerationType;
}

export interface TranslateOptions extends TextMeasure {
  /** ISO 639-1 codes, validated by the API against the pairs this installation supports. */
  source: string;
  target: string;
  /** The engine the API chose for the pair (lib/translate), e.g. `llm` or `apertium`. */
  engine: string;
  /** `texts` (a JSON array at `mediaKey`) rather than one `text`. */
  batch: boolean;
}

export interface TtsOptions {
  /** The text to speak, stored by the API (claim check: never in workflow history). */
  textKey: string;
  chars: number;
  bytes: number;
  /** An installed voice, resolved by the API. */
  voice: string;
  /** A reference clip was uploaded (at `mediaKey`): validated (3–10 s, speech), never cloned. */
  reference: boolean;
  /** Output rate; absent: the voice's own (22,050 Hz). */
  sampleRate?: number;
}

/** Small facts about synthesized speech (the WAV itself is in storage). */
export interface TtsSummary {
  voice: string;
  voiceCloned: false;
  seconds: number;
  sampleRate: number;
  sentences: number;
  generationMs: number;
  referenceSpeechSeconds?: number;
}

export interface TranscribeOptions {
  /** The installed model that will run (resolved by the API; never substituted later). */
  model: string;
  /** ISO 639-1 code, or 'auto' to detect. */
  language: string;
  diarize: boolean;
  speakers: number;
  wordTimestamps: boolean;
  /** `enhance=true`: the audio is enhanced (denoised, at 16 kHz) first and the transcript made from that. */
  enhance?: EnhanceOptions;
  /** 'translate': the text is an English translation (POST /v1/audio/translations); absent: transcription. */
  task?: 'transcribe' | 'translate';
}

/** Enhancement parameters, validated and resolved by the API (the model is never substituted later). */
export interface EnhanceOptions {
  /** An installed denoiser id (lib/denoise/catalog.ts), or 'ffmpeg' (high-pass + afftdn) or 'none'. */
  model: string;
  /** 0..1 share of the denoised signal (neural models; 1: fully denoised). */
  strength: number;
  /** Integrated loudness target, LUFS. */
  loudnessLufs: number;
  /** Output sample rate, Hz. */
  sampleRate: number;
}

/** What the enhance step ran, for the response headers. */
export interface EnhanceSummary {
  model: string;
  strength: number;
  loudnessLufs: number;
  sampleRate: number;
  /** Seconds of audio an interrupted earlier attempt had already denoised (0 on a clean run). */
  resumedFromS: number;
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
  /** `step`: which step of a recipe wrote it (GET /v1/jobs/:id/result?step=). */
  outputs: Array<{ kind: OutputKind; key: string; contentType: string; sizeBytes: number; step?: StepName }>;
  steps: StepProgress[];
  /** Small facts about a transcript (the body itself is in storage). */
  transcript?: TranscriptSummary;
  /** Small facts about a text step's result (the text itself is in storage). */
  text?: TextStepSummary;
  /** What the enhance step ran (model, loudness, rate). */
  enhance?: EnhanceSummary;
  /** POST /v1/tts: which voice spoke, and that it is not the reference's. */
  tts?: TtsSummary;
}

/** `summary`, `analysis`, `generation`, `translation`: the JSON document a text step stored. */
export type OutputKind = 'subtitles' | 'audio' | 'transcript' | 'summary' | 'analysis' | 'generation' | 'translation' | 'answer' | 'search' | 'embeddings';

export interface TextStepSummary {
  /** The model (or engine) that ran. */
  model: string;
  /** The option the step ran with: summarize's style, analyze's/generate's type, translate's `source>target`. */
  style: string;
  /** Map-reduce: chunks worked on first (1: the text was handled in one pass). */
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
  /** Speech regions the first pass skipped and that were decoded again on their own (lib/asr/coverage.ts). */
  redecodedRegions?: number;
  /** Speech regions (and their seconds) left without text even then: no speech by the model's own measure, or nothing decoded. */
  droppedRegions?: number;
  droppedSeconds?: number;
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
