/**
 * The one place environment variables are read and validated. Everything else receives a Config.
 * The README's configuration table documents each key below.
 */
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';
import { cudaProviderInstalled } from './gpu';
import { inferenceSlots, threadsPerSlot, visibleGpuCount } from './inference-slots';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number) => z.coerce.number().int().min(min);

const schema = z.object({
  VOXFLOW_HOST: z.string().default('0.0.0.0'),
  VOXFLOW_PORT: int(0).max(65535).default(8080),
  VOXFLOW_DATA_DIR: z.string().default('data'),
  VOXFLOW_CACHE: z.string().default(path.join(os.homedir(), '.cache', 'voxflow')),
  VOXFLOW_MODELS_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_DEV_PORT: int(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: int(1).max(65535).default(8233),
  TEMPORAL_UI_URL: z.string().url().optional(),
  VOXFLOW_TASK_QUEUE_CONTROL: z.string().default('voxflow-control'),
  VOXFLOW_TASK_QUEUE_GPU: z.string().default('voxflow-gpu'),
  VOXFLOW_CONTROL_CONCURRENCY: int(1).default(16),
  // 0: follow the hardware (lib/inference-slots.ts): one slot per GPU with CUDA inference, else one per
  // VOXFLOW_CORES_PER_INFERENCE_SLOT cores (at least 1).
  VOXFLOW_GPU_CONCURRENCY: int(0).default(0),
  VOXFLOW_CORES_PER_INFERENCE_SLOT: int(1).max(256).default(4),
  VOXFLOW_WORKFLOW_CONCURRENCY: int(2).default(64),
  VOXFLOW_SHUTDOWN_GRACE_MS: int(0).default(30_000),

  VOXFLOW_STORAGE: z.enum(['local', 'minio']).default('local'),
  VOXFLOW_STORAGE_DIR: z.string().optional(),
  MINIO_ENDPOINT: z.string().default('127.0.0.1'),
  MINIO_PORT: int(1).max(65535).default(9000),
  MINIO_USE_SSL: bool.default(false),
  MINIO_ACCESS_KEY: z.string().default('minioadmin'),
  MINIO_SECRET_KEY: z.string().default('minioadmin'),
  MINIO_BUCKET: z.string().default('voxflow'),
  MINIO_REGION: z.string().default('us-east-1'),

  VOXFLOW_DATABASE_URL: z.string().optional(),
  // Retention: uploads and results of finished jobs are deleted this many days after the job ended (0: kept forever);
  // failed and cancelled jobs' after VOXFLOW_RETENTION_FAILED_DAYS; objects no job refers to after the grace period.
  VOXFLOW_RETENTION_DAYS: int(0).default(30),
  VOXFLOW_RETENTION_FAILED_DAYS: int(0).default(7),
  VOXFLOW_ORPHAN_GRACE_HOURS: int(1).default(24),
  VOXFLOW_RETENTION_SWEEP_MINUTES: int(1).default(60),
  // Signs the list endpoints' page tokens; set the same value on every API process (unset: a random key per process).
  VOXFLOW_PAGE_TOKEN_KEY: z.string().min(16).optional(),

  VOXFLOW_INFERENCE_DEVICE: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  VOXFLOW_INFERENCE_THREADS: int(0).default(0),
  VOXFLOW_WHISPER_DECODER: z.enum(['fp32', 'int8']).default('fp32'),
  // int8: encoder_int8.onnx (scripts/models/install-whisper-int8-encoder.sh), ~70 MB lower peak at +1.9 WER points.
  VOXFLOW_WHISPER_ENCODER: z.enum(['fp32', 'int8']).default('fp32'),
  // Beam width of Whisper decoding at temperature 0 (1 = greedy); hotter fallback passes always sample.
  // 1 = greedy (the default: see README, beam 5 is slow on repeated speech); 5 = faster-whisper's default beam.
  VOXFLOW_WHISPER_BEAM_SIZE: int(1).max(16).default(1),
  // onnxruntime's CPU arena keeps the largest run's buffers for the session's life (lib/onnx/session-options.ts).
  VOXFLOW_ORT_MEMORY_ARENA: bool.default(false),
  // /v1/enhance-audio (lib/denoise/): default model when a request names none (unset: the best installed denoiser,
  // else `ffmpeg`), and the default integrated loudness target in LUFS.
  VOXFLOW_ENHANCE_MODEL: z.string().regex(/^[\w.-]+$/).optional(),
  VOXFLOW_ENHANCE_LOUDNESS_LUFS: z.coerce.number().min(-40).max(-5).default(-16),
  // On-device LLM for the text endpoints (lib/llm/): unset model = the best installed one (1.5B before 0.5B).
  VOXFLOW_LLM_MODEL: z.string().regex(/^[\w.-]+$/).optional(),
  VOXFLOW_LLM_CONTEXT: int(1024).max(32768).default(4096),
  // 0: the cores shared among the gpu worker's inference slots (lib/inference-slots.ts threadsPerSlot), and never
  // every core: one stays free for the API, the control worker and ffmpeg. llama.cpp's threads spin, and on an
  // oversubscribed CPU two threads measured 5-12x slower than one (a fresh-clone CI with both cores for the LLM took
  // 155 s longer in one test file, and the file beside it 142 s). Set 2 on a dedicated 2-core box. llama.cpp's own
  // "0 = max" is never passed.
  VOXFLOW_LLM_THREADS: int(0).max(256).default(0),
  // Generations at once per worker process; 0: 1 (on CPU a second one only halves each one's speed), 4 with VOXFLOW_INFERENCE_DEVICE=cuda.
  VOXFLOW_LLM_CONCURRENCY: int(0).max(64).default(0),
  VOXFLOW_LLM_MAX_TOKENS: int(16).max(8192).default(1024),
  // Texts up to this many tokens are summarized in one pass; longer ones map-reduce over chunks of this size.
  VOXFLOW_LLM_CHUNK_TOKENS: int(256).default(2560),
  // Brief summaries of texts over 600 tokens read only their fact-bearing sentences (lib/llm/brief-selection.ts):
  // ~half the time, but off by default: on the held-out 1,500-word set the 1.5B's brief kept 7/20 facts instead of 12.
  VOXFLOW_LLM_BRIEF_SELECT: bool.default(false),
  // POST /v1/summarize (and the later text endpoints): longer `text` is 413.
  VOXFLOW_TEXT_MAX_CHARS: int(1).max(5_000_000).default(200_000),
  // POST /v1/translate (lib/translate/): texts per batch request (their total is bounded by VOXFLOW_TEXT_MAX_CHARS),
  // the Apertium executable (scripts/models/install-apertium.sh) and how long one Apertium call may run.
  VOXFLOW_TRANSLATE_MAX_TEXTS: int(1).max(10_000).default(128),
  // POST /v1/embed (lib/embeddings/): texts per request, and characters per text (the model reads only its first
  // 256 word pieces, ~1,000–1,500 characters of English, and says so); their total is bounded by VOXFLOW_TEXT_MAX_CHARS.
  VOXFLOW_EMBED_MAX_TEXTS: int(1).max(10_000).default(256),
  VOXFLOW_EMBED_MAX_CHARS: int(1).max(1_000_000).default(10_000),
  VOXFLOW_APERTIUM_PATH: z.string().default('apertium'),
  VOXFLOW_APERTIUM_TIMEOUT_MS: int(1000).default(120_000),
  // Chat over a transcript and search across a tenant's transcripts (lib/rag/): segments retrieved per question,
  // the score under which a segment is not offered to the LLM, bounds of a question and of a session (older turns
  // dropped first), search results per query and transcripts one search covers (newest first).
  VOXFLOW_CHAT_TOP_K: int(1).max(20).default(4),
  VOXFLOW_CHAT_MIN_SCORE: z.coerce.number().min(-1).max(1).default(0.25),
  VOXFLOW_CHAT_MAX_QUESTION_CHARS: int(1).max(4000).default(1000),
  VOXFLOW_CHAT_SESSION_TURNS: int(1).max(1000).default(20),
  VOXFLOW_CHAT_SESSION_CHARS: int(100).default(20_000),
  VOXFLOW_SEARCH_MAX_LIMIT: int(1).max(1000).default(50),
  VOXFLOW_SEARCH_MAX_TRANSCRIPTS: int(1).default(5000),

  // POST /v1/tts (lib/tts/): most characters of text per request, the default voice, espeak-ng (phonemes).
  VOXFLOW_TTS_MAX_CHARS: int(1).max(100_000).default(3000),
  VOXFLOW_TTS_VOICE: z.string().default('en_US-joe-medium'),
  VOXFLOW_ESPEAK_PATH: z.string().default('espeak-ng'),
  // 'library' calls libespeak-ng in-process (as Piper does; ~45 ms less per text). It is GPL-3.0-or-later,
  // so the MIT service spawns the espeak-ng program unless the operator opts in.
  VOXFLOW_TTS_PHONEMIZER: z.enum(['program', 'library']).default('program'),

  FFMPEG_PATH: z.string().default('ffmpeg'),
  FFPROBE_PATH: z.string().default('ffprobe'),
  // A Unicode TrueType font for PDF exports (Debian fonts-dejavu-core); without it PDFs use Helvetica (Latin-1 only).
  VOXFLOW_PDF_FONT: z.string().default('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
  // DOCX/PDF exports render in worker threads of the API process, each request bounded (lib/transcript/render-pool.ts).
  VOXFLOW_EXPORT_THREADS: int(1).max(16).default(2),
  VOXFLOW_EXPORT_QUEUE: int(0).default(16),
  VOXFLOW_EXPORT_TIMEOUT_MS: int(100).default(60_000),
  VOXFLOW_EXPORT_MEMORY_MB: int(32).default(512),
  VOXFLOW_EXPORT_MAX_INPUT_MB: int(1).default(128),
  VOXFLOW_EXPORT_MAX_SEGMENTS: int(1).default(50_000),
  VOXFLOW_EXPORT_MAX_CHARS: int(1).default(5_000_000),
  VOXFLOW_EXPORT_MAX_MB: int(1).default(64),

  // Webhooks (lib/webhooks/): delivery retries (exponential, coefficient 2), per-request timeout, and the private
  // addresses a webhook may reach anyway (comma-separated CIDRs or addresses, e.g. 10.0.0.0/8; default none).
  VOXFLOW_WEBHOOK_RETRY_INITIAL_MS: int(1).default(30_000),
  VOXFLOW_WEBHOOK_RETRY_MAX_MS: int(1).default(3_600_000),
  VOXFLOW_WEBHOOK_MAX_ATTEMPTS: int(1).max(100).default(12),
  VOXFLOW_WEBHOOK_TIMEOUT_MS: int(100).default(10_000),
  VOXFLOW_WEBHOOK_ALLOW_PRIVATE: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every((o) => /^[0-9a-f:.]+(\/\d{1,3})?$/i.test(o)), 'each entry is an IP address or CIDR, e.g. 10.0.0.0/8 or 127.0.0.1'),
  VOXFLOW_MAX_UPLOAD_MB: int(1).default(2048),
  // Synchronous calls wait for their result up to this ceiling (the contract: at least an hour by default).
  VOXFLOW_SYNC_WAIT_MS: int(0).default(3_600_000),
  // A request body with no byte for this long is answered 408 and everything it held is released.
  VOXFLOW_UPLOAD_IDLE_MS: int(100).default(30_000),
  VOXFLOW_MAX_API_KEYS: int(1).default(50),
  VOXFLOW_TRUST_PROXY: bool.default(false),
  // Browser origins allowed to call the API (CORS), comma-separated exact origins (https://app.example.com);
  // `*` allows any origin. Unset: none (browsers on other origins are refused; same-origin and non-browser clients are unaffected).
  VOXFLOW_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/i.test(o)), 'each origin is `*` or scheme://host[:port], e.g. https://app.example.com'),
  VOXFLOW_ANON_JOBS_PER_DAY: int(0).default(3),
  VOXFLOW_ANON_MAX_MB: int(1).default(100),
  VOXFLOW_ANON_CONCURRENT: int(1).default(1),
  // Anonymous jobs are not billed, so their length is bounded by the decoded audio (not the upload size).
  VOXFLOW_ANON_MAX_AUDIO_S: int(1).default(600),
  VOXFLOW_FREE_MONTHLY_MINUTES: int(0).default(600),
  VOXFLOW_FREE_MAX_MB: int(1).default(500),
  VOXFLOW_FREE_CONCURRENT: int(1).default(2),
  VOXFLOW_PAID_MAX_MB: int(1).default(2048),
  VOXFLOW_PAID_CONCURRENT: int(1).default(5),
  // WS /v1/stream (api/stream/, lib/streaming/): engine threads in the API process, frame and time bounds, cadence.
  VOXFLOW_STREAM_THREADS: int(1).max(16).default(1),
  VOXFLOW_STREAM_MAX_FRAME_KB: int(1).default(1024),
  VOXFLOW_STREAM_CONFIG_TIMEOUT_MS: int(100).default(10_000),
  VOXFLOW_STREAM_IDLE_MS: int(100).default(30_000),
  VOXFLOW_STREAM_MAX_SESSION_S: int(1).default(3600),
  // Decoder graph of live partials (finals use VOXFLOW_WHISPER_DECODER): int8 = a second, cheaper-to-step model per engine thread
  // (lib/streaming/stream-model.ts): 4 streams' word → stable partial p50 1323 → 649 ms, ~+180 MB RSS per thread (quiet bench).
  VOXFLOW_STREAM_PARTIAL_DECODER: z.enum(['fp32', 'int8']).default('int8'),
  VOXFLOW_STREAM_PARTIAL_MS: int(100).default(300), // least new audio between partial decodes; self-clocked (lib/streaming/recognizer.ts)
  VOXFLOW_STREAM_ENDPOINT_MS: int(100).default(300), // VAD hangover closing an utterance: 500 → 300 ms left the finals' WER unchanged (bench/streaming-final-window.ts)
  VOXFLOW_STREAM_MAX_UTTERANCE_S: int(2).max(30).default(25),
  VOXFLOW_STREAM_MAX_BACKLOG_S: int(1).default(30),
});

export type Env = z.input<typeof schema>;

export interface Config {
  http: { host: string; port: number; maxUploadBytes: number; syncWaitMs: number; uploadIdleMs: number; maxApiKeysPerAccount: number; trustProxy: boolean; corsOrigins: string[] };
  dataDir: string;
  cacheDir: string;
  modelsDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  temporal: {
    /** Set when an external server is configured; otherwise the launcher starts a dev server. */
    externalAddress?: string;
    address: string;
    namespace: string;
    devPort: number;
    uiPort: number;
    /** Where operators open a job in the Web UI (links in GET /v1/jobs/:id). */
    uiUrl?: string;
    dbFile: string;
    taskQueues: { control: string; gpu: string };
    concurrency: { control: number; gpu: number; workflows: number };
    shutdownGraceMs: number;
  };
  storage:
    | { kind: 'local'; dir: string }
    | {
        kind: 'minio';
        endPoint: string;
        port: number;
        useSSL: boolean;
        accessKey: string;
        secretKey: string;
        bucket: string;
        region: string;
      };
  media: { ffmpeg: string; ffprobe: string };
  enhance: { model?: string; loudnessLufs: number };
  /** POST /v1/tts: text bound, default voice, the espeak-ng executable (lib/tts/). */
  tts: { maxChars: number; voice: string; espeak: string; phonemizer: 'program' | 'library' };
  /** Transcript documents (docx, pdf). */
  documents: {
    pdfFont: string;
    /** Worker-thread rendering bounds: threads, queue, per-request deadline, heap per thread, input and output size. */
    render: { threads: number; queue: number; timeoutMs: number; memoryMb: number; maxInputBytes: number; maxSegments: number; maxChars: number; maxBytes: number };
  };
  tiers: Record<'anonymous' | 'free' | 'paid', { maxUploadBytes: number; concurrentJobs: number; dailyJobs?: number; monthlyMinutes?: number; maxAudioSeconds?: number }>;
  /** `postgres://…` for several machines; otherwise a SQLite file (WAL). */
  databaseUrl: string;
  /** What the retention schedule deletes, and how often it runs (workflows/retention.ts). */
  retention: { days: number; failedDays: number; orphanGraceHours: number; sweepMinutes: number };
  /** HMAC key for page tokens (api/jobs/page-token.ts); undefined: random per process. */
  pageTokenKey?: string;
  inference: {
    /** auto: CUDA when onnxruntime can use it, else CPU (the fallback, and what tests use). */
    device: 'auto' | 'cpu' | 'cuda';
    /** Intra-op threads per session; 0 lets onnxruntime decide. */
    threads: number;
    whisperDecoder: 'fp32' | 'int8';
    whisperEncoder: 'fp32' | 'int8';
    /** Beam width at temperature 0; 1 = greedy. */
    whisperBeamSize: number;
    /** onnxruntime CPU arena + memory pattern (off: a third less peak RSS at the same speed). */
    memoryArena: boolean;
  };
  /** The on-device LLM (lib/llm/) and the text endpoints' input bound. */
  llm: {
    /** Model id to run; undefined: the best installed. */
    model?: string;
    device: 'auto' | 'cpu' | 'cuda';
    contextSize: number;
    /** Resolved: never 0. */
    threads: number;
    /** Resolved: never 0. */
    concurrency: number;
    maxOutputTokens: number;
    chunkTokens: number;
    /** Brief summaries of long texts read only their fact-bearing sentences (lib/llm/brief-selection.ts). */
    briefSelect: boolean;
    maxTextChars: number;
  };
  /** POST /v1/translate: batch bound and the Apertium engine (lib/translate/). */
  /** POST /v1/embed: batch and per-text bounds (lib/embeddings/). */
  embed: { maxTexts: number; maxChars: number };
  translate: {
    maxTexts: number;
    apertium: { bin: string; timeoutMs: number };
  };
  /** Chat over a transcript and semantic search (lib/rag/). */
  rag: {
    topK: number;
    minScore: number;
    maxQuestionChars: number;
    session: { maxTurns: number; maxChars: number };
    searchMaxLimit: number;
    searchMaxTranscripts: number;
  };
  /** Job webhooks (lib/webhooks/): retry policy of the delivery activity, request timeout, private ranges allowed. */
  webhooks: { retry: { initialMs: number; maximumMs: number; maximumAttempts: number }; timeoutMs: number; allowPrivate: string[] };
  /** WS /v1/stream: engine threads, bounds and recognition cadence (api/stream/, lib/streaming/). */
  stream: {
    threads: number;
    maxFrameBytes: number;
    configTimeoutMs: number;
    /** No audio frame, or no speech in the audio, for this long closes the stream (4000). */
    idleMs: number;
    maxSessionSeconds: number;
    partialIntervalMs: number;
    partialDecoder: 'fp32' | 'int8';
    endpointSilenceMs: number;
    maxUtteranceSeconds: number;
    /** Audio received but not yet recognised beyond this: the socket is paused (TCP back-pressure). */
    maxBacklogSeconds: number;
  };
}

export class ConfigError extends Error {}

/** VOXFLOW_GPU_CONCURRENCY=0: as many gpu-queue slots as the hardware has inference units (lib/inference-slots.ts). */
function defaultGpuSlots(device: 'auto' | 'cpu' | 'cuda', coresPerSlot: number, cudaVisibleDevices: string | undefined): number {
  const gpus = visibleGpuCount(cudaVisibleDevices);
  const cuda = device === 'cuda' || (device === 'auto' && gpus > 0 && cudaProviderInstalled());
  return inferenceSlots({ cpus: os.availableParallelism(), gpus, cuda }, coresPerSlot);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (a common shell idiom: FOO= cmd).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // A chunk, its instructions and its summary must fit one context (lib/llm/summarize.ts budgets 768 tokens beside the text).
  if (e.VOXFLOW_LLM_CHUNK_TOKENS + 768 > e.VOXFLOW_LLM_CONTEXT) {
    throw new ConfigError(`invalid configuration:\n  VOXFLOW_LLM_CHUNK_TOKENS: ${e.VOXFLOW_LLM_CHUNK_TOKENS} + 768 must fit VOXFLOW_LLM_CONTEXT (${e.VOXFLOW_LLM_CONTEXT})`);
  }
  const dataDir = path.resolve(e.VOXFLOW_DATA_DIR);
  const gpuSlots = e.VOXFLOW_GPU_CONCURRENCY || defaultGpuSlots(e.VOXFLOW_INFERENCE_DEVICE, e.VOXFLOW_CORES_PER_INFERENCE_SLOT, env.CUDA_VISIBLE_DEVICES);
  return {
    webhooks: {
      retry: { initialMs: e.VOXFLOW_WEBHOOK_RETRY_INITIAL_MS, maximumMs: e.VOXFLOW_WEBHOOK_RETRY_MAX_MS, maximumAttempts: e.VOXFLOW_WEBHOOK_MAX_ATTEMPTS },
      timeoutMs: e.VOXFLOW_WEBHOOK_TIMEOUT_MS,
      allowPrivate: e.VOXFLOW_WEBHOOK_ALLOW_PRIVATE,
    },
    http: {
      host: e.VOXFLOW_HOST,
      port: e.VOXFLOW_PORT,
      maxUploadBytes: e.VOXFLOW_MAX_UPLOAD_MB * 1024 * 1024,
      syncWaitMs: e.VOXFLOW_SYNC_WAIT_MS,
      uploadIdleMs: e.VOXFLOW_UPLOAD_IDLE_MS,
      maxApiKeysPerAccount: e.VOXFLOW_MAX_API_KEYS,
      trustProxy: e.VOXFLOW_TRUST_PROXY,
      corsOrigins: e.VOXFLOW_CORS_ORIGINS,
    },
    dataDir,
    cacheDir: path.resolve(e.VOXFLOW_CACHE),
    modelsDir: path.resolve(e.VOXFLOW_MODELS_DIR ?? path.join(e.VOXFLOW_CACHE, 'models')),
    logLevel: e.LOG_LEVEL,
    temporal: {
      externalAddress: e.TEMPORAL_ADDRESS,
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_DEV_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL ?? (e.TEMPORAL_ADDRESS ? undefined : `http://localhost:${e.TEMPORAL_UI_PORT}`),
      dbFile: path.join(dataDir, 'temporal', 'temporal.sqlite'),
      taskQueues: { control: e.VOXFLOW_TASK_QUEUE_CONTROL, gpu: e.VOXFLOW_TASK_QUEUE_GPU },
      concurrency: {
        control: e.VOXFLOW_CONTROL_CONCURRENCY,
        gpu: gpuSlots,
        workflows: e.VOXFLOW_WORKFLOW_CONCURRENCY,
      },
      shutdownGraceMs: e.VOXFLOW_SHUTDOWN_GRACE_MS,
    },
    storage:
      e.VOXFLOW_STORAGE === 'minio'
        ? {
            kind: 'minio',
            endPoint: e.MINIO_ENDPOINT,
            port: e.MINIO_PORT,
            useSSL: e.MINIO_USE_SSL,
            accessKey: e.MINIO_ACCESS_KEY,
            secretKey: e.MINIO_SECRET_KEY,
            bucket: e.MINIO_BUCKET,
            region: e.MINIO_REGION,
          }
        : { kind: 'local', dir: path.resolve(e.VOXFLOW_STORAGE_DIR ?? path.join(dataDir, 'objects')) },
    media: { ffmpeg: e.FFMPEG_PATH, ffprobe: e.FFPROBE_PATH },
    enhance: { model: e.VOXFLOW_ENHANCE_MODEL, loudnessLufs: e.VOXFLOW_ENHANCE_LOUDNESS_LUFS },
    tts: { maxChars: e.VOXFLOW_TTS_MAX_CHARS, voice: e.VOXFLOW_TTS_VOICE, espeak: e.VOXFLOW_ESPEAK_PATH, phonemizer: e.VOXFLOW_TTS_PHONEMIZER },
    documents: {
      pdfFont: e.VOXFLOW_PDF_FONT,
      render: {
        threads: e.VOXFLOW_EXPORT_THREADS,
        queue: e.VOXFLOW_EXPORT_QUEUE,
        timeoutMs: e.VOXFLOW_EXPORT_TIMEOUT_MS,
        memoryMb: e.VOXFLOW_EXPORT_MEMORY_MB,
        maxInputBytes: e.VOXFLOW_EXPORT_MAX_INPUT_MB * 1024 * 1024,
        maxSegments: e.VOXFLOW_EXPORT_MAX_SEGMENTS,
        maxChars: e.VOXFLOW_EXPORT_MAX_CHARS,
        maxBytes: e.VOXFLOW_EXPORT_MAX_MB * 1024 * 1024,
      },
    },
    tiers: {
      anonymous: { maxUploadBytes: e.VOXFLOW_ANON_MAX_MB * 1024 * 1024, concurrentJobs: e.VOXFLOW_ANON_CONCURRENT, dailyJobs: e.VOXFLOW_ANON_JOBS_PER_DAY, maxAudioSeconds: e.VOXFLOW_ANON_MAX_AUDIO_S },
      free: { maxUploadBytes: e.VOXFLOW_FREE_MAX_MB * 1024 * 1024, concurrentJobs: e.VOXFLOW_FREE_CONCURRENT, monthlyMinutes: e.VOXFLOW_FREE_MONTHLY_MINUTES },
      paid: { maxUploadBytes: e.VOXFLOW_PAID_MAX_MB * 1024 * 1024, concurrentJobs: e.VOXFLOW_PAID_CONCURRENT },
    },
    databaseUrl: e.VOXFLOW_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'voxflow.sqlite')}`,
    retention: {
      days: e.VOXFLOW_RETENTION_DAYS,
      failedDays: e.VOXFLOW_RETENTION_FAILED_DAYS,
      orphanGraceHours: e.VOXFLOW_ORPHAN_GRACE_HOURS,
      sweepMinutes: e.VOXFLOW_RETENTION_SWEEP_MINUTES,
    },
    pageTokenKey: e.VOXFLOW_PAGE_TOKEN_KEY,
    inference: { device: e.VOXFLOW_INFERENCE_DEVICE, threads: e.VOXFLOW_INFERENCE_THREADS, whisperDecoder: e.VOXFLOW_WHISPER_DECODER, whisperEncoder: e.VOXFLOW_WHISPER_ENCODER, whisperBeamSize: e.VOXFLOW_WHISPER_BEAM_SIZE, memoryArena: e.VOXFLOW_ORT_MEMORY_ARENA },
    llm: {
      model: e.VOXFLOW_LLM_MODEL,
      device: e.VOXFLOW_INFERENCE_DEVICE,
      contextSize: e.VOXFLOW_LLM_CONTEXT,
      threads: e.VOXFLOW_LLM_THREADS || Math.max(1, Math.min(threadsPerSlot(os.availableParallelism(), gpuSlots), os.availableParallelism() - 1)),
      concurrency: e.VOXFLOW_LLM_CONCURRENCY || (e.VOXFLOW_INFERENCE_DEVICE === 'cuda' ? 4 : 1),
      maxOutputTokens: e.VOXFLOW_LLM_MAX_TOKENS,
      chunkTokens: e.VOXFLOW_LLM_CHUNK_TOKENS,
      briefSelect: e.VOXFLOW_LLM_BRIEF_SELECT,
      maxTextChars: e.VOXFLOW_TEXT_MAX_CHARS,
    },
    embed: { maxTexts: e.VOXFLOW_EMBED_MAX_TEXTS, maxChars: e.VOXFLOW_EMBED_MAX_CHARS },
    translate: { maxTexts: e.VOXFLOW_TRANSLATE_MAX_TEXTS, apertium: { bin: e.VOXFLOW_APERTIUM_PATH, timeoutMs: e.VOXFLOW_APERTIUM_TIMEOUT_MS } },
    stream: {
      threads: e.VOXFLOW_STREAM_THREADS,
      maxFrameBytes: e.VOXFLOW_STREAM_MAX_FRAME_KB * 1024,
      configTimeoutMs: e.VOXFLOW_STREAM_CONFIG_TIMEOUT_MS,
      idleMs: e.VOXFLOW_STREAM_IDLE_MS,
      maxSessionSeconds: e.VOXFLOW_STREAM_MAX_SESSION_S,
      partialIntervalMs: e.VOXFLOW_STREAM_PARTIAL_MS,
      partialDecoder: e.VOXFLOW_STREAM_PARTIAL_DECODER,
      endpointSilenceMs: e.VOXFLOW_STREAM_ENDPOINT_MS,
      maxUtteranceSeconds: e.VOXFLOW_STREAM_MAX_UTTERANCE_S,
      maxBacklogSeconds: e.VOXFLOW_STREAM_MAX_BACKLOG_S,
    },
    rag: {
      topK: e.VOXFLOW_CHAT_TOP_K,
      minScore: e.VOXFLOW_CHAT_MIN_SCORE,
      maxQuestionChars: e.VOXFLOW_CHAT_MAX_QUESTION_CHARS,
      session: { maxTurns: e.VOXFLOW_CHAT_SESSION_TURNS, maxChars: e.VOXFLOW_CHAT_SESSION_CHARS },
      searchMaxLimit: e.VOXFLOW_SEARCH_MAX_LIMIT,
      searchMaxTranscripts: e.VOXFLOW_SEARCH_MAX_TRANSCRIPTS,
    },
  };
}
