/** The voxflow client on Node's native fetch, FormData and Blob (no form-data package, no polyfills). */
import { APIConnectionError, JobTimeoutError, errorFromResponse, jobFailure } from './errors.js';
import { toBlob, type FileInput } from './files.js';
import { StreamSession, type StreamOptions } from './stream.js';
import type {
  Account, AnalysisType, ApiKey, BatchTranslation, ChatAnswer, Embeddings, GenerationType, Health, Job,
  LanguageList, ModelList, ProgressCallback, Summary, SummaryStyle, Transcript, TranscriptFormat, TranscriptList,
  Translation,
} from './types.js';

export const DEFAULT_BASE_URL = 'http://localhost:8080';
const USER_AGENT = 'voxflow-node/0.1.0';

export interface ClientOptions {
  /** Default: process.env.VOXFLOW_API_KEY; none means anonymous. */
  apiKey?: string;
  /** Default: process.env.VOXFLOW_BASE_URL, else http://localhost:8080. */
  baseUrl?: string;
  /** Per request; default none (synchronous calls wait for their job, up to the server's ceiling). */
  timeoutMs?: number;
  /** Between polls of a job (default 1000). */
  pollIntervalMs?: number;
  fetch?: typeof fetch;
}

/** Options of every job endpoint. */
export interface JobOptions {
  /** true (default): resolve with the result. false: resolve with the submitted Job at once. */
  wait?: boolean;
  /** Submit asynchronously and poll; called with each new job view (overall and per-step progress). */
  onProgress?: ProgressCallback;
  /** Give up polling after this long (JobTimeoutError; the job keeps running). */
  timeoutMs?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface TranscribeOptions extends JobOptions {
  model?: string;
  language?: string;
  diarize?: boolean;
  speakers?: number;
  responseFormat?: TranscriptFormat;
  /** Upload name (default: the path's basename). */
  filename?: string;
}

type Expect = 'json' | 'text' | 'bytes' | 'none';
interface Req {
  method: string;
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const compact = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class Client {
  readonly apiKey?: string;
  readonly baseUrl: string;
  readonly jobs: Jobs;
  readonly transcripts: Transcripts;
  readonly keys: Keys;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs?: number;
  readonly pollIntervalMs: number;

  constructor(opts: ClientOptions = {}) {
    const env = typeof process !== 'undefined' ? process.env : {};
    this.apiKey = opts.apiKey ?? (env.VOXFLOW_API_KEY || undefined);
    this.baseUrl = (opts.baseUrl ?? (env.VOXFLOW_BASE_URL || DEFAULT_BASE_URL)).replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.jobs = new Jobs(this);
    this.transcripts = new Transcripts(this);
    this.keys = new Keys(this);
  }

  // -- plumbing ---------------------------------------------------------------------------------
  /** @internal */
  async send(req: Req): Promise<Response> {
    const url = new URL(this.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...req.headers };
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    let body: FormData | string | undefined;
    if (req.form) body = req.form; // fetch sets the multipart boundary itself
    else if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.json);
    }
    const signals = [req.signal, this.timeoutMs ? AbortSignal.timeout(this.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
    let res: Response | undefined;
    // A GET is retried when a kept-alive socket was closed under it (the server's keep-alive timer and
    // the pool's can cross): polling a long job must not fail on that. Other methods are never re-sent.
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await this.fetchImpl(url, { method: req.method, headers, body, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
      } catch (err) {
        const aborted = (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError';
        if (req.method === 'GET' && !aborted && attempt < 2) continue;
        throw new APIConnectionError(`Could not reach voxflow at ${this.baseUrl}: ${(err as Error).cause ?? (err as Error).message}`, err);
      }
    }
    if (res.status >= 400) {
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw errorFromResponse(res.status, parsed, Object.fromEntries(res.headers), parsed ? '' : text);
    }
    return res;
  }

  /** @internal */
  async call<T>(req: Req, expect: Expect = 'json'): Promise<T> {
    return read<T>(await this.send(req), expect);
  }

  private async jobCall<T>(req: Req, opts: JobOptions, expect: Expect, resultFormat?: string): Promise<T | Job> {
    const wait = opts.wait ?? true;
    req.headers = { ...req.headers };
    if (!wait || opts.onProgress) req.headers.Prefer = 'respond-async';
    if (opts.idempotencyKey) req.headers['Idempotency-Key'] = opts.idempotencyKey;
    req.signal = opts.signal;
    const res = await this.send(req);
    if (res.status !== 202) return read<T>(res, expect);
    const job = (await res.json()) as Job;
    if (!wait) return job;
    // Progress asked for, or the server's synchronous ceiling passed: poll, then fetch the result.
    await this.jobs.wait(job.id, { onProgress: opts.onProgress, timeoutMs: opts.timeoutMs, signal: opts.signal });
    return this.call<T>({ method: 'GET', path: `/v1/jobs/${job.id}/result`, query: { format: resultFormat } }, expect);
  }

  // -- media ------------------------------------------------------------------------------------
  /** Transcript JSON, or the txt/srt/vtt text with `responseFormat`; the Job with `wait: false`. */
  transcribe(file: FileInput, opts: TranscribeOptions & { wait: false }): Promise<Job>;
  transcribe(file: FileInput, opts: TranscribeOptions & { responseFormat: 'txt' | 'srt' | 'vtt' }): Promise<string>;
  transcribe(file: FileInput, opts?: TranscribeOptions): Promise<Transcript>;
  async transcribe(file: FileInput, opts: TranscribeOptions = {}): Promise<Transcript | string | Job> {
    const form = await formWith(file, 'file', opts.filename, {
      model: opts.model, language: opts.language, diarize: opts.diarize, speakers: opts.speakers, response_format: opts.responseFormat,
    });
    const fmt = opts.responseFormat ?? 'json';
    return this.jobCall<Transcript | string>({ method: 'POST', path: '/v1/transcribe', form }, opts, fmt === 'json' ? 'json' : 'text', fmt);
  }

  /** Denoised, loudness-normalised WAV bytes (the Job with `wait: false`). */
  async enhanceAudio(file: FileInput, opts: JobOptions & { filename?: string } = {}): Promise<Uint8Array | Job> {
    const form = await formWith(file, 'file', opts.filename, {});
    return this.jobCall<Uint8Array>({ method: 'POST', path: '/v1/enhance-audio', form }, opts, 'bytes');
  }

  /** Speech for `text` as WAV bytes. `reference` (3-10 s of the voice to clone) goes as multipart, as
   * the contract has it; without one the body is JSON. */
  async tts(text: string, opts: JobOptions & { reference?: FileInput; voice?: string; sampleRate?: number; filename?: string } = {}): Promise<Uint8Array | Job> {
    const fields = { text, voice: opts.voice, sample_rate: opts.sampleRate };
    const req: Req = opts.reference !== undefined
      ? { method: 'POST', path: '/v1/tts', form: await formWith(opts.reference, 'reference', opts.filename, fields) }
      : { method: 'POST', path: '/v1/tts', json: compact(fields) };
    return this.jobCall<Uint8Array>(req, opts, 'bytes');
  }

  // -- text -------------------------------------------------------------------------------------
  summarize(text: string, opts: JobOptions & { style?: SummaryStyle } = {}): Promise<Summary> {
    return this.jobCall<Summary>({ method: 'POST', path: '/v1/summarize', json: compact({ text, style: opts.style }) }, opts, 'json') as Promise<Summary>;
  }
  analyze(text: string, opts: JobOptions & { type: AnalysisType }): Promise<Record<string, unknown>> {
    return this.jobCall({ method: 'POST', path: '/v1/analyze', json: { text, type: opts.type } }, opts, 'json') as Promise<Record<string, unknown>>;
  }
  generate(text: string, opts: JobOptions & { type: GenerationType }): Promise<Record<string, unknown>> {
    return this.jobCall({ method: 'POST', path: '/v1/generate', json: { text, type: opts.type } }, opts, 'json') as Promise<Record<string, unknown>>;
  }
  translate(text: string, opts: JobOptions & { target: string; source?: string }): Promise<Translation>;
  translate(texts: string[], opts: JobOptions & { target: string; source?: string }): Promise<BatchTranslation>;
  translate(text: string | string[], opts: JobOptions & { target: string; source?: string }): Promise<Translation | BatchTranslation> {
    const body = compact({ ...(Array.isArray(text) ? { texts: text } : { text }), target: opts.target, source: opts.source });
    return this.jobCall({ method: 'POST', path: '/v1/translate', json: body }, opts, 'json') as Promise<Translation | BatchTranslation>;
  }
  embed(texts: string[]): Promise<Embeddings> {
    return this.call({ method: 'POST', path: '/v1/embed', json: { texts } });
  }

  // -- catalogue, health, account ---------------------------------------------------------------
  models(): Promise<ModelList> {
    return this.call({ method: 'GET', path: '/v1/models' });
  }
  languages(task?: 'transcribe' | 'translate'): Promise<LanguageList> {
    return this.call({ method: 'GET', path: '/v1/languages', query: { task } });
  }
  /** A degraded server answers 503: ServiceUnavailableError, its body in `.body`. */
  health(): Promise<Health> {
    return this.call({ method: 'GET', path: '/health' });
  }
  account(): Promise<Account> {
    return this.call({ method: 'GET', path: '/api/v1/account/' });
  }
  updateAccount(patch: { email?: string | null; preferences?: Record<string, unknown> }): Promise<Account> {
    return this.call({ method: 'PUT', path: '/api/v1/account/', json: patch });
  }
  usage(): Promise<{ days: number; usage: unknown[] }> {
    return this.call({ method: 'GET', path: '/api/v1/usage/' });
  }

  /** A WebSocket session on /v1/stream, resolved once the server is ready for PCM. */
  stream(opts: StreamOptions = {}): Promise<StreamSession> {
    return StreamSession.connect(this.baseUrl, this.apiKey, opts);
  }
}

async function read<T>(res: Response, expect: Expect): Promise<T> {
  if (expect === 'json') return (await res.json()) as T;
  if (expect === 'text') return (await res.text()) as T;
  if (expect === 'bytes') return new Uint8Array(await res.arrayBuffer()) as T;
  await res.body?.cancel();
  return undefined as T;
}

async function formWith(file: FileInput, field: string, filename: string | undefined, fields: Record<string, string | number | boolean | undefined>): Promise<FormData> {
  const { blob, name } = await toBlob(file, filename);
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, String(v));
  form.append(field, blob, name);
  return form;
}

/** Submit-and-poll: GET /v1/jobs/:id, its result, cancel, delete. */
export class Jobs {
  constructor(private readonly c: Client) {}

  get(id: string): Promise<Job> {
    return this.c.call({ method: 'GET', path: `/v1/jobs/${id}` });
  }

  /** Polls until the job ends: its view when it succeeded; failed or cancelled throws the error a
   * synchronous call would have (e.g. PaymentRequiredError), with `err.job` set. */
  async wait(id: string, opts: { onProgress?: ProgressCallback; timeoutMs?: number; pollIntervalMs?: number; signal?: AbortSignal } = {}): Promise<Job> {
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    let last = '';
    for (;;) {
      const job = await this.get(id);
      const seen = JSON.stringify([job.status, job.progress, (job.steps ?? []).map((s) => [s.name, s.status, s.progress])]);
      if (opts.onProgress && seen !== last) opts.onProgress(job);
      last = seen;
      if (job.status === 'succeeded') return job;
      if (job.status === 'failed' || job.status === 'cancelled') throw jobFailure(job);
      if (Date.now() >= deadline) throw new JobTimeoutError(`Job ${id} is still ${job.status} after ${opts.timeoutMs} ms.`, job);
      opts.signal?.throwIfAborted();
      await sleep(opts.pollIntervalMs ?? this.c.pollIntervalMs);
    }
  }

  /** A finished job's result by its content type: JSON parsed, subtitles/text as string, audio as bytes. */
  async result(id: string, opts: { format?: TranscriptFormat } = {}): Promise<unknown> {
    const res = await this.c.send({ method: 'GET', path: `/v1/jobs/${id}/result`, query: { format: opts.format } });
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    if (type.endsWith('json')) return res.json();
    if (type.startsWith('text/') || type === 'application/x-subrip') return res.text();
    return new Uint8Array(await res.arrayBuffer());
  }

  cancel(id: string): Promise<{ id: string; status: string }> {
    return this.c.call({ method: 'POST', path: `/v1/jobs/${id}/cancel` });
  }
  delete(id: string): Promise<void> {
    return this.c.call({ method: 'DELETE', path: `/v1/jobs/${id}` }, 'none');
  }
}

/** /api/v1/transcripts/: the account's transcription jobs and their transcripts. */
export class Transcripts {
  constructor(private readonly c: Client) {}
  list(q: { status?: string; language?: string; since?: string; pageSize?: number; pageToken?: string } = {}): Promise<TranscriptList> {
    return this.c.call({ method: 'GET', path: '/api/v1/transcripts/', query: { status: q.status, language: q.language, since: q.since, page_size: q.pageSize, page_token: q.pageToken } });
  }
  get(id: string): Promise<Record<string, unknown>> {
    return this.c.call({ method: 'GET', path: `/api/v1/transcripts/${id}/` });
  }
  /** txt, srt, vtt, json, csv as text; docx, pdf as bytes. */
  export(id: string, format: 'txt' | 'srt' | 'vtt' | 'json' | 'csv' | 'docx' | 'pdf'): Promise<string | Uint8Array> {
    return this.c.call({ method: 'GET', path: `/api/v1/transcripts/${id}/export/${format}/` }, format === 'docx' || format === 'pdf' ? 'bytes' : 'text');
  }
  delete(id: string): Promise<void> {
    return this.c.call({ method: 'DELETE', path: `/api/v1/transcripts/${id}/` }, 'none');
  }
  chat(id: string, question: string, opts: { sessionId?: string } = {}): Promise<ChatAnswer> {
    return this.c.call({ method: 'POST', path: `/api/v1/transcripts/${id}/chat/`, json: compact({ question, session_id: opts.sessionId }) });
  }
  analyze(id: string, type: AnalysisType): Promise<Record<string, unknown>> {
    return this.c.call({ method: 'POST', path: `/api/v1/transcripts/${id}/analyze/`, json: { type } });
  }
  generate(id: string, type: GenerationType): Promise<Record<string, unknown>> {
    return this.c.call({ method: 'POST', path: `/api/v1/transcripts/${id}/generate/`, json: { type } });
  }
}

/** /api/v1/keys/: list, create (the raw key is returned once), revoke. */
export class Keys {
  constructor(private readonly c: Client) {}
  async list(): Promise<ApiKey[]> {
    return (await this.c.call<{ keys: ApiKey[] }>({ method: 'GET', path: '/api/v1/keys/' })).keys;
  }
  create(name?: string): Promise<ApiKey> {
    return this.c.call({ method: 'POST', path: '/api/v1/keys/', json: name ? { name } : {} });
  }
  revoke(id: string): Promise<void> {
    return this.c.call({ method: 'DELETE', path: `/api/v1/keys/${id}/` }, 'none');
  }
}
