/**
 * One WS /v1/stream connection, from config to `is_final`:
 *   config (JSON, first) → admission (tier slot, credits) → engine stream opened → `{"status":"ready"}`
 *   → binary PCM frames → `partial` / `text` messages → `{"action":"stop"}` → remaining texts →
 *   transcript stored, credits settled → `{"is_final": true, ...}` → close 1000.
 * Any other end (error, limit, timeout, client gone) still finalises, settles and stores once.
 */
import crypto from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import type { Logger } from '../../lib/log';
import type { StreamEnginePool, EngineStream } from '../../lib/streaming/pool';
import { STREAM_SAMPLE_RATE as SR, int16leToFloat32 } from '../../lib/streaming/pcm';
import type { StreamOutcome } from '../../lib/streaming/protocol';
import type { ClientMessage } from '../../lib/streaming/recognizer';
import { InsufficientCreditsError } from '../../lib/ledger/ledger';
import type { Config } from '../../lib/config';
import type { ApiDeps } from '../deps';
import { NO_CREDITS } from '../jobs/admission';
import type { Caller } from './caller';
import { admitStream, type StreamAdmission } from './billing';
import { CloseCode, StreamError } from './close-codes';
import { parseStreamConfig } from './config-message';
import { saveStreamTranscript } from './save-transcript';
import { startFollowUp } from './follow-up';
import { JobService } from '../jobs/service';
import type { StreamConfig } from './config-message';

export interface SessionDeps {
  api: Pick<ApiDeps, 'accounts' | 'tiers' | 'store' | 'temporal' | 'models'>;
  config: Pick<Config, 'stream' | 'temporal' | 'llm' | 'pageTokenKey'>;
  pool: StreamEnginePool;
  log: Logger;
  saveTranscripts: boolean;
}

type State = 'config' | 'starting' | 'streaming' | 'ending' | 'ended';

const newStreamId = () => `job_${crypto.randomUUID().replace(/-/g, '')}`;

export class StreamSession {
  readonly id = newStreamId();
  private state: State = 'config';
  private engine?: EngineStream;
  private admission?: StreamAdmission;
  private samples = 0;
  private processed = 0;
  private lastSpeech = 0;
  private pendingFinal = 0;
  private paused = false;
  private early: Float32Array[] = [];
  private timer?: NodeJS.Timeout;
  private readonly startedAt = new Date().toISOString();
  private config?: StreamConfig;
  /** The streamed audio as sent (Int16 LE), kept only when a diarize follow-up needs it. */
  private recording?: Buffer[];
  private readonly cfg: Config['stream'];

  constructor(
    private readonly ws: WebSocket,
    private readonly caller: Caller,
    private readonly deps: SessionDeps,
  ) {
    this.cfg = deps.config.stream;
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => void this.end({ quiet: true }));
    ws.on('error', () => undefined); // protocol errors are answered in attach.ts before ws closes
    this.arm(this.cfg.configTimeoutMs, () => this.fail(new StreamError(CloseCode.ConfigTimeout, `No config received within ${this.cfg.configTimeoutMs} ms of connecting.`)));
  }

  /** Sends a protocol error and closes with its code (used by attach.ts for oversized frames too). */
  fail(err: StreamError): void {
    this.send({ error: err.message, ...err.details });
    void this.end({ code: err.code, reason: err.message });
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    try {
      if (this.state === 'ending' || this.state === 'ended') return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (this.state === 'config') {
        if (isBinary) throw new StreamError(CloseCode.Policy, 'Send the JSON config first ({"language": "auto", "model": "large-v3-turbo"}), then wait for {"status": "ready"} before audio.');
        return void this.start(bytes.toString('utf8'));
      }
      if (!isBinary) return this.onControl(bytes.toString('utf8'));
      if (bytes.length % 2) throw new StreamError(CloseCode.UnsupportedData, `Audio frames must be whole 16-bit samples (PCM Int16 LE, 16 kHz, mono); got ${bytes.length} bytes.`);
      if (bytes.length) this.onAudio(int16leToFloat32(bytes));
    } catch (err) {
      this.fail(err instanceof StreamError ? err : new StreamError(CloseCode.Internal, 'The stream failed on the server.'));
    }
  }

  private onControl(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      throw new StreamError(CloseCode.UnsupportedData, 'Text frames must be JSON (send {"action": "stop"} to finish); audio goes in binary frames.');
    }
    if (msg && typeof msg === 'object' && (msg as { action?: unknown }).action === 'stop') return void this.end({ code: CloseCode.Normal });
    throw new StreamError(CloseCode.Policy, 'Unknown message: the only control message is {"action": "stop"}.');
  }

  private async start(text: string): Promise<void> {
    this.clearTimer();
    this.state = 'starting';
    try {
      const config = parseStreamConfig(text, this.deps.api.models);
      if (config.followUp && !this.caller.account) {
        throw new StreamError(CloseCode.Policy, 'Follow-up steps (diarize, summarize) are billed per step and need an API key.', { param: config.followUp.diarize ? 'diarize' : 'summarize' });
      }
      this.config = config;
      if (config.followUp?.diarize) this.recording = [];
      const { accounts, tiers } = this.deps.api;
      this.admission = await admitStream(this.caller, this.id, {
        limits: accounts.limits,
        ledger: accounts.ledger,
        tier: tiers[this.caller.plan],
        maxSessionSeconds: this.cfg.maxSessionSeconds,
      }).catch((err) => {
        throw err instanceof InsufficientCreditsError ? new StreamError(CloseCode.NoCredits, NO_CREDITS) : err;
      });
      if (this.state !== 'starting') return void this.admission.end(0); // the client left meanwhile
      this.engine = this.deps.pool.open(
        this.id,
        config.model,
        { language: config.language, partialIntervalMs: this.cfg.partialIntervalMs, endpointSilenceMs: this.cfg.endpointSilenceMs, maxUtteranceSeconds: this.cfg.maxUtteranceSeconds },
        {
          message: (m) => this.send(m),
          progress: (p) => this.onProgress(p),
          failed: (message) => this.fail(new StreamError(CloseCode.Internal, `Recognition failed: ${message}`)),
        },
      );
      await this.engine.ready;
      if (this.state !== 'starting') return;
      this.state = 'streaming';
      for (const pcm of this.early.splice(0)) this.engine.audio(pcm);
      this.send({
        status: 'ready',
        id: this.id,
        model: config.model,
        language: config.language,
        ...(config.requestedModel ? { requested_model: config.requestedModel, note: `${config.requestedModel} is not installed on this server; ${config.model} runs instead.` } : {}),
        sample_rate: SR,
        max_seconds: this.admission.maxSeconds,
      });
      this.armIdle();
    } catch (err) {
      if (err instanceof StreamError) return this.fail(err);
      this.deps.log.error({ err, stream: this.id }, 'stream start failed');
      this.fail(new StreamError(CloseCode.Internal, 'The stream could not be started.'));
    }
  }

  private onAudio(pcm: Float32Array): void {
    const limit = this.admission ? this.admission.maxSeconds * SR : Infinity;
    const room = Math.max(0, limit - this.samples);
    const take = pcm.length > room ? pcm.subarray(0, room) : pcm;
    this.samples += take.length;
    if (this.recording) this.recording.push(float32ToInt16le(take));
    if (this.state === 'starting') {
      this.early.push(take);
      if (this.samples > this.cfg.maxBacklogSeconds * SR) throw new StreamError(CloseCode.Policy, 'Wait for {"status": "ready"} before sending audio.');
    } else if (take.length) {
      this.engine!.audio(take.slice()); // transferred to the thread: a copy of our view of the frame
    }
    this.armIdle();
    this.checkBacklog();
    if (take.length < pcm.length) {
      const a = this.admission!;
      this.fail(a.limitedBy === 'credits'
        ? new StreamError(CloseCode.NoCredits, `The credits held for this stream (${a.maxSeconds / 60} minute(s)) are used up; the audio so far is transcribed.`)
        : new StreamError(CloseCode.MaxSession, `The stream reached its maximum length of ${a.maxSeconds} s of audio; the audio so far is transcribed.`));
    }
  }

  private onProgress(p: { processed: number; pendingFinal: number; lastSpeech: number }): void {
    this.processed = p.processed;
    this.pendingFinal = p.pendingFinal;
    this.lastSpeech = p.lastSpeech;
    this.checkBacklog();
    // Silence counts in audio time (frames sent faster than real time time out as fast).
    if (this.state === 'streaming' && (this.processed - this.lastSpeech) / SR * 1000 >= this.cfg.idleMs) {
      this.fail(new StreamError(CloseCode.Idle, `No speech for ${this.cfg.idleMs / 1000} s; the stream is closed.`));
    }
  }

  /** Bounded buffering: beyond maxBacklogSeconds of audio not yet recognised, stop reading the socket. */
  private checkBacklog(): void {
    const backlog = this.samples - this.processed + this.pendingFinal;
    const max = this.cfg.maxBacklogSeconds * SR;
    if (!this.paused && backlog > max) {
      this.paused = true;
      this.ws.pause();
      this.clearTimer(); // we stopped reading: the client is not idle
    } else if (this.paused && backlog < max / 2) {
      this.paused = false;
      this.ws.resume();
      this.armIdle();
    }
  }

  /** Ends the stream once: finalise recognition, store, settle, then `is_final` and the close code. */
  private async end(how: { code?: number; reason?: string; quiet?: boolean }): Promise<void> {
    if (this.state === 'ending' || this.state === 'ended') return;
    const wasStreaming = this.state === 'streaming';
    this.state = 'ending';
    this.clearTimer();
    if (this.paused) this.ws.resume();
    const seconds = this.samples / SR;
    let outcome: StreamOutcome | undefined;
    try {
      if (this.engine && wasStreaming) outcome = await this.engine.finish();
      else this.engine?.abort();
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, stream: this.id }, 'stream finalisation failed');
      if (how.code === CloseCode.Normal) {
        this.send({ error: 'Recognition failed while finishing the stream.' });
        how = { code: CloseCode.Internal, reason: 'recognition failed' };
      }
    }
    let charged = 0;
    let followUp: ClientMessage | undefined;
    try {
      charged = (await this.admission?.end(seconds))?.charged ?? 0;
      if (outcome && outcome.duration > 0 && this.deps.saveTranscripts) {
        const saved = await saveStreamTranscript(
          { store: this.deps.api.store, temporal: this.deps.api.temporal, config: this.deps.config },
          { jobId: this.id, tenant: this.caller.tenant, startedAt: this.startedAt, outcome, credits: this.caller.account ? charged : undefined },
        );
        followUp = await this.startFollowUp(outcome, saved);
      }
    } catch (err) {
      this.deps.log.error({ err, stream: this.id }, 'stream settlement or transcript storage failed');
    }
    this.state = 'ended';
    this.deps.log.info({ stream: this.id, tenant: this.caller.tenant, seconds: Math.round(seconds * 10) / 10, charged, code: how.code ?? 'client closed' }, 'stream ended');
    if (how.quiet) return;
    if (outcome) this.send({ is_final: true, id: this.id, duration: outcome.duration, credits: charged, ...(outcome.duration > 0 ? { transcript: `/api/v1/transcripts/${this.id}` } : {}), ...(followUp ? { follow_up: followUp } : {}) });
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(how.code ?? CloseCode.Normal, closeReason(how.reason));
  }

  /** The follow-up job the config asked for (follow-up.ts); its id and where to poll it, or why it did not start. */
  private async startFollowUp(outcome: StreamOutcome, saved: Awaited<ReturnType<typeof saveStreamTranscript>>): Promise<ClientMessage | undefined> {
    const steps = this.config?.followUp;
    if (!steps || !this.caller.account) return undefined;
    const names = [...(steps.diarize ? ['transcribe', 'diarize'] : []), ...(steps.summarize ? ['summarize'] : [])];
    if (!saved.transcript.text.trim() && !steps.diarize) return { steps: names, error: 'The stream had no speech to summarize.' };
    try {
      const id = await startFollowUp(
        { store: this.deps.api.store, jobs: new JobService(this.deps.api.temporal, this.deps.config), config: this.deps.config },
        {
          streamId: this.id,
          tenant: this.caller.tenant,
          accountId: this.caller.account.id,
          model: outcome.model,
          language: this.config!.language,
          steps,
          transcript: saved.transcript,
          transcriptKey: saved.key,
          recording: this.recording ? Buffer.concat(this.recording) : undefined,
        },
      );
      this.recording = undefined;
      return { id, steps: names, status_url: `/v1/jobs/${id}` };
    } catch (err) {
      this.deps.log.error({ err, stream: this.id }, 'stream follow-up job could not be started');
      return { steps: names, error: 'The follow-up job could not be started.' };
    }
  }

  private send(m: ClientMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
  }

  private armIdle(): void {
    if (this.state !== 'streaming' || this.paused) return;
    this.arm(this.cfg.idleMs, () => this.fail(new StreamError(CloseCode.Idle, `No audio for ${this.cfg.idleMs / 1000} s; the stream is closed.`)));
  }

  private arm(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(fn, ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function float32ToInt16le(pcm: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(pcm[i] * 32768))), i * 2);
  return out;
}

/** A close frame's reason is at most 123 bytes of UTF-8; the full message went as `{"error"}` already. */
function closeReason(reason = ''): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
