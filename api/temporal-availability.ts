/**
 * Whether Temporal answers, known before a request asks. A background probe (GetSystemInfo on a
 * connection of its own, no retries, short deadline) keeps a flag; while it is down, every call
 * the API makes on its main connection fails at once with UNAVAILABLE (a gRPC interceptor), which
 * the one error mapping answers as 503 + Retry-After. Without this, the client's default retry
 * policy (10 attempts, backoff up to 5 s) held each request 19–22 s before the 503.
 */
import { InterceptingCall, Metadata, status, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Logger } from '../lib/log';

export interface AvailabilityOptions {
  address: string;
  /** How often the probe runs. */
  intervalMs?: number;
  /** A probe slower than this counts as down. */
  timeoutMs?: number;
  log?: Logger;
}

/** After a restart of the server, reconnect within a second or two, not grpc-js's default of up to 120 s. */
export const FAST_RECONNECT = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 1000 };

export class TemporalAvailability {
  private up = false;
  private lastError: string | undefined = 'not probed yet';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private readonly inFlight = new Set<InterceptingCall>();
  private readonly probeConnection: Connection;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: AvailabilityOptions) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 1000;
    // Lazy: the API starts (and answers 503) while Temporal is down; no retries: the probe repeats anyway.
    this.probeConnection = Connection.lazy({ address: opts.address, interceptors: [], channelArgs: FAST_RECONNECT });
  }

  get reachable(): boolean {
    return this.up;
  }

  get error(): string | undefined {
    return this.up ? undefined : this.lastError;
  }

  /** One probe now (awaited), then one every intervalMs until stop(). */
  async start(): Promise<void> {
    await this.probe();
    const loop = () => {
      this.timer = setTimeout(async () => {
        await this.probe();
        if (!this.stopped) loop();
      }, this.intervalMs);
      this.timer.unref();
    };
    loop();
  }

  async probe(): Promise<boolean> {
    try {
      await this.probeConnection.withDeadline(Date.now() + this.timeoutMs, () => this.probeConnection.workflowService.getSystemInfo({}));
      this.failures = 0;
      this.set(true, undefined);
    } catch (err) {
      const e = err as Error & { code?: number };
      this.failures++;
      // A refused connection is certain at once; a slow answer could be this process's own busy
      // event loop (a deadline timer firing late), so it must repeat before in-flight calls are cut.
      if (e.code !== status.DEADLINE_EXCEEDED || this.failures >= 2 || !this.up) this.set(false, e.message);
      else return this.probe();
    }
    return this.up;
  }

  /**
   * Interceptors for the API's main connection: fail fast while down, and otherwise retry briefly
   * (three attempts, well under a second) so a server that just died is also answered promptly.
   */
  interceptors(): Interceptor[] {
    const failFast: Interceptor = (options, nextCall) => {
      if (this.up) return this.tracked(nextCall(options));
      const details = `Temporal at ${this.opts.address} is unreachable: ${this.lastError ?? 'unknown'}`;
      return new InterceptingCall(nextCall(options), {
        start(_metadata, listener) {
          process.nextTick(() => listener.onReceiveStatus({ code: status.UNAVAILABLE, details, metadata: new Metadata() }));
        },
        sendMessage() {},
        halfClose() {},
      });
    };
    // Retries stop once the probe says down, or a cancelled in-flight call would be retried into the void.
    const retry = defaultGrpcRetryOptions({ maxAttempts: 3 });
    const retryWhileUp = { delayFunction: retry.delayFunction, retryableDecider: (attempt: number, st: Parameters<typeof retry.retryableDecider>[1]) => this.up && retry.retryableDecider(attempt, st) };
    return [failFast, makeGrpcRetryInterceptor(retryWhileUp)];
  }

  /**
   * A call in flight when the server stops answering (hung, or a network gone quiet) would wait
   * for TCP keepalive (~45 s); it is ended with UNAVAILABLE as soon as the probe says down.
   */
  private tracked(next: ReturnType<Parameters<Interceptor>[1]>): InterceptingCall {
    const inFlight = this.inFlight;
    const call: InterceptingCall = new InterceptingCall(next, {
      start(metadata, _listener, start) {
        inFlight.add(call);
        // A partial listener: grpc-js passes every other event through unchanged.
        start(metadata, {
          onReceiveStatus(st, done) {
            inFlight.delete(call);
            done(st);
          },
        });
      },
    });
    return call;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.probeConnection.close();
  }

  private set(up: boolean, error: string | undefined) {
    const changed = up !== this.up;
    this.up = up;
    this.lastError = error;
    if (!changed) return;
    if (up) {
      this.opts.log?.info({ address: this.opts.address }, 'temporal reachable');
      return;
    }
    this.opts.log?.warn({ address: this.opts.address, err: error, cancelled: this.inFlight.size }, 'temporal unreachable; answering 503 until it is back');
    const calls = [...this.inFlight];
    this.inFlight.clear();
    for (const call of calls) call.cancelWithStatus(status.UNAVAILABLE, `Temporal at ${this.opts.address} stopped answering: ${error}`);
  }
}
